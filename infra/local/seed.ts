/**
 * Seeds the local storefronts of STOREFRONT_KEYS at every start: each storefront exists, accepts its
 * API key, and has a Clearent credentials secret. Safe to repeat; the environment wins over what an
 * earlier start stored, so changing CLEARENT_API_KEY or SANDBOX_API_KEY takes effect on restart.
 * Also seeds the secret that signs list cursors, which, unlike those, is kept across starts.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clearentSecretName } from '../../shared/secrets/clearent-credentials';
import { minimumCursorSecretLength } from '../../shared/store/cursor';
import { DynamoStorefrontRepository } from '../../shared/store/storefronts';
import { localCredentials, localRegion } from './local-aws';

/** One `storefrontId=apiKey` pair of STOREFRONT_KEYS. */
export interface StorefrontKey {
  storefrontId: string;
  apiKey: string;
}

export interface SeedTargets {
  dynamoDbEndpoint: string;
  tableName: string;
  secretsManagerEndpoint: string;
  /** CLEARENT_SECRET_PREFIX */
  secretPrefix: string;
}

/**
 * Makes every storefront of `storefronts` exist with its API key, and stores `{ apiKey: clearentApiKey }`
 * as its Clearent credentials.
 * @example await seedStorefronts([{ storefrontId: 'demo', apiKey: 'sk_test_demo' }], sandbox.apiKey, targets);
 */
export async function seedStorefronts(
  storefronts: readonly StorefrontKey[],
  clearentApiKey: string,
  targets: SeedTargets,
): Promise<void> {
  const clientSettings = { region: localRegion, credentials: localCredentials };
  const dynamoDb = new DynamoDBClient({ ...clientSettings, endpoint: targets.dynamoDbEndpoint });
  const secrets = new SecretsManagerClient({ ...clientSettings, endpoint: targets.secretsManagerEndpoint });
  const repository = new DynamoStorefrontRepository(DynamoDBDocumentClient.from(dynamoDb), targets.tableName);
  const credentials = JSON.stringify({ apiKey: clearentApiKey });
  try {
    for (const { storefrontId, apiKey } of storefronts) {
      await repository.create(storefrontId, storefrontId);
      // Each addApiKey adds a key entry: only a key the table does not know yet is added.
      if ((await repository.findByApiKey(apiKey)) !== storefrontId) {
        await repository.addApiKey(storefrontId, apiKey);
      }
      await storeSecret(secrets, clearentSecretName(targets.secretPrefix, storefrontId), credentials);
    }
  } finally {
    dynamoDb.destroy();
    secrets.destroy();
  }
}

/**
 * Makes sure the secret that signs list cursors exists, with a random value on the first start (or when
 * what is stored is too short to be one). An existing one is kept: the secret store lives in the data
 * folder, so cursors handed out before a restart still work after it; without a data folder the store,
 * and so the secret, lives in memory for the run.
 * @example await seedCursorSecret(secrets.endpoint, localCursorSecretName);
 */
export async function seedCursorSecret(secretsManagerEndpoint: string, secretName: string): Promise<void> {
  const client = new SecretsManagerClient({
    region: localRegion,
    credentials: localCredentials,
    endpoint: secretsManagerEndpoint,
  });
  // 32 random bytes: 43 base64url characters, past the minimum the handlers accept.
  const fresh = randomBytes(32).toString('base64url');
  try {
    const current = await client.send(new GetSecretValueCommand({ SecretId: secretName }));
    if ((current.SecretString?.length ?? 0) < minimumCursorSecretLength) {
      await client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: fresh }));
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateSecretCommand({ Name: secretName, SecretString: fresh }));
  } finally {
    client.destroy();
  }
}

async function storeSecret(client: SecretsManagerClient, name: string, value: string): Promise<void> {
  try {
    const current = await client.send(new GetSecretValueCommand({ SecretId: name }));
    if (current.SecretString !== value) {
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  }
}
