/**
 * A storefront's Clearent credentials, read from Secrets Manager through ./secret-reader.ts's cache.
 * Nothing is read at module load and a failed read is not cached, so a cold start that cannot reach
 * Secrets Manager fails that one request and the next request tries again.
 */
import { lazy } from '../lazy';
import * as z from '../zod';
import { readSecretString } from './secret-reader';

const credentialsSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    apiKey: z.string().check(z.minLength(1)),
    publicKey: z.optional(z.string().check(z.minLength(1))),
  }),
);

export type ClearentCredentials = z.infer<ReturnType<typeof credentialsSchema>>;

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
  let text: string;
  try {
    text = await readSecretString(secretName, { maxAgeSeconds: CACHE_SECONDS, refresh: options.refresh });
  } catch (error) {
    throw new CredentialsUnavailableError(`could not read secret ${secretName}`, { cause: error });
  }
  const parsed = credentialsSchema().safeParse(parseJson(text));
  if (!parsed.success) {
    throw new CredentialsUnavailableError(
      `secret ${secretName} is not {"apiKey": "...", "publicKey"?: "..."}`,
    );
  }
  return parsed.data;
}

/** The parsed JSON, or undefined (which the schema refuses) when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
