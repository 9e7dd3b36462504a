/**
 * A storefront's Clearent credentials, read from Secrets Manager through Powertools' cache.
 * Nothing is read at module load and a failed read is not cached, so a cold start that cannot reach
 * Secrets Manager fails that one request and the next request tries again.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from '../zod';

const credentialsSchema = z.object({
  apiKey: z.string().check(z.minLength(1)),
  publicKey: z.optional(z.string().check(z.minLength(1))),
});

export type ClearentCredentials = z.infer<typeof credentialsSchema>;

/** How long a read secret is reused before it is read again (seconds): rotation shows within this. */
const CACHE_SECONDS = 300;

/** The secret holding a storefront's credentials, e.g. `/payments/prod/storefronts/sf_1/clearent`. */
export function clearentSecretName(prefix: string, storefrontId: string): string {
  return `${prefix}${storefrontId}/clearent`;
}

export class CredentialsUnavailableError extends Error {
  override readonly name = 'CredentialsUnavailableError';
}

/**
 * Reads and validates the credentials; the error never contains the secret's value. `refresh` reads past
 * the cache: after Clearent refused the cached key, it may have been rotated.
 */
export async function readClearentCredentials(
  secretName: string,
  options: { refresh?: boolean } = {},
): Promise<ClearentCredentials> {
  let value: unknown;
  try {
    value = await getSecret(secretName, {
      maxAge: CACHE_SECONDS,
      transform: 'json',
      forceFetch: options.refresh === true,
    });
  } catch (error) {
    throw new CredentialsUnavailableError(`could not read secret ${secretName}`, { cause: error });
  }
  const parsed = credentialsSchema.safeParse(value);
  if (!parsed.success) {
    throw new CredentialsUnavailableError(
      `secret ${secretName} is not {"apiKey": "...", "publicKey"?: "..."}`,
    );
  }
  return parsed.data;
}
