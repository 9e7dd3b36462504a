/**
 * Webhook endpoints' signing secrets in Secrets Manager, one secret each. Reads go through
 * ./secret-reader.ts's cache (an endpoint's secret never changes); creation and deletion are plain SDK calls.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { sdkLogger } from '../observability/sdk-logger';
import type { WebhookSecrets } from '../webhooks/ports';
import { readSecretString } from './secret-reader';

const CACHE_SECONDS = 3600;

export class SecretsManagerWebhookSecrets implements WebhookSecrets {
  private client: SecretsManagerClient | undefined;

  private sdk(): SecretsManagerClient {
    this.client ??= new SecretsManagerClient({ logger: sdkLogger });
    return this.client;
  }

  async create(name: string, value: string): Promise<void> {
    try {
      await this.sdk().send(
        new CreateSecretCommand({ Name: name, SecretString: value, Description: 'Webhook signing secret' }),
      );
    } catch (error) {
      // Names carry the endpoint's random id: an existing one was made by an earlier attempt of this request.
      if (!(error instanceof ResourceExistsException)) throw error;
    }
  }

  async read(name: string): Promise<string> {
    return readSecretString(name, { maxAgeSeconds: CACHE_SECONDS });
  }

  async remove(name: string): Promise<void> {
    try {
      await this.sdk().send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
