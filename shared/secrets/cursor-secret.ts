/**
 * The key that signs list cursors, read from Secrets Manager through ./secret-reader.ts's cache. As with the
 * Clearent credentials, nothing is read at module load and a failed read is not cached: a request that
 * cannot reach Secrets Manager fails alone and the next one tries again.
 */
import { cursorSecretName } from '../config';
import { type CursorCodec, createCursorCodec, minimumCursorSecretLength } from '../store/cursor';
import { readSecretString } from './secret-reader';

/**
 * How long a read secret is reused before it is read again (seconds). A rotated secret takes effect
 * within this; cursors signed with the previous one then answer 400 and the client lists from the start.
 */
const CACHE_SECONDS = 300;

export class CursorSecretUnavailableError extends Error {
  override readonly name = 'CursorSecretUnavailableError';
}

/** Reads and checks the secret string; the error never contains the secret's value. */
export async function readCursorSecret(secretName: string): Promise<string> {
  let value: unknown;
  try {
    value = await readSecretString(secretName, { maxAgeSeconds: CACHE_SECONDS });
  } catch (error) {
    throw new CursorSecretUnavailableError(`could not read secret ${secretName}`, { cause: error });
  }
  if (typeof value !== 'string' || value.length < minimumCursorSecretLength) {
    throw new CursorSecretUnavailableError(
      `secret ${secretName} is not a string of at least ${minimumCursorSecretLength} characters`,
    );
  }
  return value;
}

/** A codec keyed with the secret as read now (from the cache for five minutes). */
export async function readCursorCodec(secretName: string): Promise<CursorCodec> {
  return createCursorCodec(await readCursorSecret(secretName));
}

/**
 * The codec of the secret named by CURSOR_SECRET_NAME. The name is read here, on the first list, not
 * when a store is built: only the functions that list are given the variable (and the right to read the
 * secret).
 * @example new DynamoTransactionTimeline(db, table, liveCursorCodec);
 */
export async function liveCursorCodec(): Promise<CursorCodec> {
  return readCursorCodec(cursorSecretName());
}
