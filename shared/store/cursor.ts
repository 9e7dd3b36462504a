/**
 * Signed pagination cursors. A cursor is the index's LastEvaluatedKey as base64url JSON, a dot, and a
 * base64url HMAC-SHA256 of that text (its first 16 bytes). Unsigned, anyone could hand DynamoDB a start
 * key of their choosing; signed, the only keys a list starts from are ones this service handed out.
 * Which list a key belongs to is still checked by the caller (the key carries its partition).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CursorCodec {
  /** The cursor for the next page; `null` when there is none (no LastEvaluatedKey). */
  encode(key: Record<string, unknown> | undefined): string | null;
  /** The key a cursor carries; `undefined` when it is malformed or not signed with this secret. */
  decode(cursor: string): Record<string, string> | undefined;
}

/** Shorter secrets are refused: an HMAC key is only as strong as it is long and random. */
export const minimumCursorSecretLength = 32;

/** 128 bits: forging one is out of reach, and cursors stay short in a URL. */
const signatureBytes = 16;

/**
 * @example const codec = createCursorCodec(secret); const cursor = codec.encode(LastEvaluatedKey);
 * @throws RangeError when `secret` is shorter than `minimumCursorSecretLength`.
 */
export function createCursorCodec(secret: string): CursorCodec {
  if (secret.length < minimumCursorSecretLength) {
    throw new RangeError(`a cursor secret must be at least ${minimumCursorSecretLength} characters`);
  }
  const sign = (payload: string): string =>
    createHmac('sha256', secret).update(payload).digest().subarray(0, signatureBytes).toString('base64url');

  return {
    encode: (key) => {
      if (!key) return null;
      const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    decode: (cursor) => {
      const parts = cursor.split('.');
      if (parts.length !== 2) return undefined;
      const [payload = '', signature = ''] = parts;
      // Compared as text, not as decoded bytes: the last base64 character has unused bits, and two
      // spellings of one signature must not both pass. The payload is signed as the text it is, so
      // characters Node's lenient base64 decoder would skip cannot be slipped in either.
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return parseKey(payload);
    },
  };
}

/** A signed payload is one we wrote, but it is still checked: a key of strings, nothing else. */
function parseKey(payload: string): Record<string, string> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => typeof v === 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A cursor that is not one this very list handed out (tampered, or from another list): a 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * The start key a list's `cursor` carries. The signature proves we handed the key out; its partition
 * proves it was for this very list. @throws InvalidCursorError otherwise.
 */
export function startKeyOf(
  codec: CursorCodec,
  cursor: string | undefined,
  partitionKey: string,
  partitionValue: string,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const key = codec.decode(cursor);
  if (key?.[partitionKey] !== partitionValue) throw new InvalidCursorError();
  return key;
}
