/**
 * The local Secrets Manager stand-in for a test file, with the functions' secret reader pointed at it
 * (it makes its client on first use, from the standard SDK environment) and an admin client to write
 * secrets with. Call once at the top level of a test file.
 * @example const secrets = useLocalSecrets(); … await secrets.admin().send(new CreateSecretCommand(…));
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localCredentials, localRegion } from '../../infra/local/local-aws';
import { startLocalSecretsManager } from '../../infra/local/secrets-manager';

export function useLocalSecrets(): { admin: () => SecretsManagerClient } {
  let secrets: Awaited<ReturnType<typeof startLocalSecretsManager>> | undefined;
  let admin: SecretsManagerClient | undefined;

  beforeAll(async () => {
    secrets = await startLocalSecretsManager({});
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
    admin = new SecretsManagerClient({
      endpoint: secrets.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
  });

  afterAll(async () => {
    admin?.destroy();
    await secrets?.close();
  });

  return {
    admin: () => {
      if (admin === undefined) throw new Error('useLocalSecrets: the admin client exists from beforeAll on');
      return admin;
    },
  };
}
