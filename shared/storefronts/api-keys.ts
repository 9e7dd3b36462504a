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

/** Reads the key from `Authorization: Bearer <key>`; `undefined` when absent or malformed. */
export function bearerKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{8,200})$/.exec(authorization?.trim() ?? '');
  return match?.[1];
}
