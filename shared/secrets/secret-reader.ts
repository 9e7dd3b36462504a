/**
 * Secrets Manager reads, each secret reused for a while: what every secret of the functions is read
 * through (a storefront's Clearent credentials, the cursor key, webhook signing secrets). It does what
 * Powertools' `getSecret` did for us (5 KB of every bundle, issue 11): the client is made on the first
 * read, a value is kept `maxAgeSeconds`, and a failed read is not kept, so the next request reads again.
 * Only text secrets: every secret here is one.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { sdkLogger } from '../observability/sdk-logger';

export class SecretNotTextError extends Error {
  override readonly name = 'SecretNotTextError';
}

let client: SecretsManagerClient | undefined;
const kept = new Map<string, { value: string; until: number }>();

/**
 * The secret's text, from what was read less than `maxAgeSeconds` ago unless `refresh`. Errors are the
 * SDK's (e.g. `ResourceNotFoundException`) or `SecretNotTextError`; none contains the value.
 */
export async function readSecretString(
  name: string,
  options: { maxAgeSeconds: number; refresh?: boolean },
): Promise<string> {
  const now = Date.now();
  const cached = kept.get(name);
  if (cached !== undefined && cached.until > now && options.refresh !== true) return cached.value;
  client ??= new SecretsManagerClient({ logger: sdkLogger });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: name }));
  if (SecretString === undefined) throw new SecretNotTextError(`secret ${name} holds no text`);
  kept.set(name, { value: SecretString, until: now + options.maxAgeSeconds * 1000 });
  return SecretString;
}
