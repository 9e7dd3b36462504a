/**
 * The operator's commands, independent of where they point: a storefront and its API keys in the
 * table, its Clearent credentials in Secrets Manager. Keys are printed once and stored only as hashes.
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clearentSecretName } from '../../shared/secrets/clearent-credentials';
import type { DynamoStorefrontRepository } from '../../shared/store/storefronts';
import { generateApiKey } from '../../shared/storefronts/api-keys';

export interface AdminTarget {
  storefronts: DynamoStorefrontRepository;
  secrets: SecretsManagerClient;
  secretPrefix: string;
  /** The KMS key new secrets are encrypted with (the stack's storefront-secrets key); none locally. */
  secretsKmsKeyId?: string;
  /** `live` keys for prod, `test` keys elsewhere. */
  keyMode: 'live' | 'test';
}

/** Creates a storefront and its first API key; the key is in the result and nowhere else. */
export async function createStorefront(target: AdminTarget, storefrontId: string, name: string) {
  if (!/^[a-z0-9][a-z0-9_-]{1,62}$/.test(storefrontId)) {
    throw new Error('storefront id must be 2 to 63 lowercase letters, digits, "_" or "-"');
  }
  if (!(await target.storefronts.create(storefrontId, name))) {
    throw new Error(`storefront ${storefrontId} already exists`);
  }
  return issueKey(target, storefrontId);
}

export async function issueKey(target: AdminTarget, storefrontId: string) {
  if (!(await target.storefronts.get(storefrontId))) throw new Error(`no storefront ${storefrontId}`);
  const apiKey = generateApiKey(target.keyMode);
  const entry = await target.storefronts.addApiKey(storefrontId, apiKey);
  return { ...entry, apiKey };
}

export async function revokeKey(target: AdminTarget, storefrontId: string, keyId: string) {
  if (!(await target.storefronts.revokeApiKey(storefrontId, keyId))) {
    throw new Error(`storefront ${storefrontId} has no key ${keyId}`);
  }
}

/** Writes the storefront's Clearent credentials as a new version of its secret (creating it first time). */
export async function setClearentCredentials(
  target: AdminTarget,
  storefrontId: string,
  credentials: { apiKey: string; publicKey?: string },
): Promise<string> {
  if (!(await target.storefronts.get(storefrontId))) throw new Error(`no storefront ${storefrontId}`);
  const name = clearentSecretName(target.secretPrefix, storefrontId);
  const SecretString = JSON.stringify(credentials);
  try {
    await target.secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await target.secrets.send(
      new CreateSecretCommand({ Name: name, SecretString, KmsKeyId: target.secretsKmsKeyId }),
    );
  }
  return name;
}
