/**
 * Random, unguessable resource ids: a type prefix and 128 bits in base62, e.g. `txn_6Wq1P0b3tJx8VJbD2cT9Lr`.
 */
import { randomBytes } from 'node:crypto';
import type { IdGenerator } from './payments/ports';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of `bytes` random bytes. */
export function randomToken(bytes: number): string {
  let value = BigInt(`0x${randomBytes(bytes).toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = ALPHABET[Number(value % 62n)] + text;
    value /= 62n;
  }
  return text.padStart(Math.ceil((bytes * 8) / Math.log2(62)), '0');
}

export const randomIds: IdGenerator = {
  next: (prefix) => `${prefix}_${randomToken(16)}`,
};
