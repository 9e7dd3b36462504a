/**
 * Storefront API keys: 256 random bits, shown once, stored only as a SHA-256 hash. A slow password hash
 * is not needed: nobody can guess a 256-bit key, and a fast hash keeps the authorizer cheap.
 */
import { createHash } from 'node:crypto';
import { randomToken } from '../ids';

/** A new key, e.g. `sk_live_…` for prod and `sk_test_…` elsewhere. */
export function generateApiKey(mode: 'live' | 'test'): string {
  return `sk_${mode}_${randomToken(32)}`;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/**
 * The shape of every key a storefront can hold: `sk_live_` and 43 base62 characters (what
 * `generateApiKey` issues, the only live keys there are), or `sk_test_` and 4 to 64 letters, digits and
 * `_` (issued test keys, and those a local run or a test seeds, e.g. `sk_test_demo`).
 */
const API_KEY = /^sk_(?:live_[0-9A-Za-z]{43}|test_[0-9A-Za-z_]{4,64})$/;
/** `Bearer ` and the longest key: a longer header is refused before any pattern looks at it. */
const MAX_HEADER_LENGTH = 'Bearer '.length + 'sk_test_'.length + 64;

/** Whether `key` has the shape of a storefront API key (not whether any storefront holds it). */
export function isWellFormedApiKey(key: string): boolean {
  return API_KEY.test(key);
}

/**
 * Reads the key from `Authorization: Bearer <key>`; `undefined` when absent or not shaped like a key,
 * so that the authorizer refuses it without a DynamoDB read.
 *
 * @example bearerKey('Bearer sk_test_demo') // 'sk_test_demo'
 */
export function bearerKey(authorization: string | undefined): string | undefined {
  const header = authorization?.trim() ?? '';
  if (header.length > MAX_HEADER_LENGTH || !header.startsWith('Bearer ')) return undefined;
  const key = header.slice('Bearer '.length);
  return isWellFormedApiKey(key) ? key : undefined;
}
