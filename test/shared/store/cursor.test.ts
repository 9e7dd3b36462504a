import { createHmac } from 'node:crypto';
import * as fc from 'fast-check';
import { type CursorCodec, createCursorCodec, minimumCursorSecretLength } from '../../../shared/store/cursor';

const secret = 'test-cursor-secret-not-a-real-one-0123456789';
// Made in a hook, not at load: a codec that fails to build then fails these tests instead of the file.
let codec: CursorCodec;
beforeAll(() => {
  codec = createCursorCodec(secret);
});
/** A LastEvaluatedKey of the byCustomer index, as DynamoDB returns it. */
const key = {
  pk: 'SF#shopA#TXN#txn_1',
  sk: 'TXN',
  gsi2pk: 'SF#shopA#CUS#cus_1',
  gsi2sk: '2026-11-24T10:00:00.000Z#txn_1',
};
const otherListKey = { ...key, gsi2pk: 'SF#shopA#CUS#cus_2' };

/** Signs `json` the way the codec does, to reach its checks behind the signature. */
function signed(json: string): string {
  const payload = Buffer.from(json).toString('base64url');
  const signature = createHmac('sha256', secret).update(payload).digest().subarray(0, 16);
  return `${payload}.${signature.toString('base64url')}`;
}

/** Every cursor this codec hands out for `key`: `payload.signature`. */
function parts(cursor: string | null): [string, string] {
  const [payload = '', signature = ''] = (cursor ?? '').split('.');
  return [payload, signature];
}

describe('Function: createCursorCodec', () => {
  it('gives back the key it signed, and null when there is no next page', () => {
    // Act
    const cursor = codec.encode(key);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(codec.decode(cursor ?? '')).toEqual(key);
    expect(codec.encode(undefined)).toBeNull();
  });

  it('accepts the cursors of another codec with the same secret (each list builds its own)', () => {
    expect(createCursorCodec(secret).decode(codec.encode(key) ?? '')).toEqual(key);
  });

  it('refuses a cursor with any one character changed', () => {
    // Prepare
    const cursor = codec.encode(key) ?? '';

    // Act: every position, including the signature's last character whose low bits base64 leaves unused.
    const accepted = [...cursor].flatMap((character, index) => {
      const replacement = character === 'A' ? 'B' : 'A';
      const tampered = `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
      return codec.decode(tampered) === undefined ? [] : [tampered];
    });

    // Assess
    expect(accepted).toEqual([]);
  });

  it('refuses a truncated or missing signature', () => {
    // Prepare
    const [payload, signature] = parts(codec.encode(key));

    // Act and assess
    expect(codec.decode(`${payload}.${signature.slice(0, -1)}`)).toBeUndefined();
    expect(codec.decode(`${payload}.${signature.slice(0, 11)}`)).toBeUndefined();
    expect(codec.decode(`${payload}.`)).toBeUndefined();
    expect(codec.decode(payload)).toBeUndefined();
  });

  it("refuses another secret's cursor", () => {
    // Prepare
    const other = createCursorCodec('another-cursor-secret-not-a-real-one-98765');

    // Act and assess
    expect(codec.decode(other.encode(key) ?? '')).toBeUndefined();
  });

  it("refuses another list's key under this list's signature", () => {
    // Prepare: a real signature, with the key swapped for one of another customer's list.
    const [, signature] = parts(codec.encode(key));
    const [otherPayload] = parts(codec.encode(otherListKey));

    // Act and assess
    expect(codec.decode(`${otherPayload}.${signature}`)).toBeUndefined();
  });

  it('refuses the unsigned cursors handed out before: plain base64url JSON of a real key', () => {
    // Prepare
    const plain = Buffer.from(JSON.stringify(key)).toString('base64url');

    // Act and assess
    expect(codec.decode(plain)).toBeUndefined();
    expect(codec.decode(`${plain}.`)).toBeUndefined();
  });

  it.each([
    ['empty', () => ''],
    ['only a dot', () => '.'],
    ['three parts', (payload: string, signature: string) => `${payload}.${signature}.x`],
    ['standard base64 characters', (payload: string, signature: string) => `${payload}+/.${signature}`],
    ['padding', (payload: string, signature: string) => `${payload}=.${signature}`],
    ['spaces', (payload: string, signature: string) => ` ${payload}.${signature}`],
  ])('refuses a malformed cursor: %s', (_case, malformed) => {
    expect(codec.decode(malformed(...parts(codec.encode(key))))).toBeUndefined();
  });

  it.each([
    ['a number value', { pk: 'SF#shopA', n: 1 }],
    ['a nested value', { pk: { S: 'SF#shopA' } }],
  ])('refuses a signed key that is not all strings: %s', (_case, odd) => {
    expect(codec.decode(codec.encode(odd) ?? '')).toBeUndefined();
  });

  it.each([
    ['an array', '["SF#shopA#CUS#cus_1"]'],
    ['null', 'null'],
    ['a string', '"SF#shopA#CUS#cus_1"'],
    ['text that is not JSON', 'SF#shopA#CUS#cus_1'],
  ])('refuses a correctly signed payload that is not a key: %s', (_case, json) => {
    expect(codec.decode(signed(json))).toBeUndefined();
  });

  it('signs as documented: HMAC-SHA256 of the base64url payload, its first 16 bytes', () => {
    expect(codec.encode(key)).toBe(signed(JSON.stringify(key)));
  });

  it(`refuses a secret shorter than ${minimumCursorSecretLength} characters`, () => {
    expect(() => createCursorCodec('x'.repeat(minimumCursorSecretLength - 1))).toThrow(
      new RangeError('a cursor secret must be at least 32 characters'),
    );
    expect(() => createCursorCodec('x'.repeat(minimumCursorSecretLength))).not.toThrow();
  });

  it('round-trips any key of strings, and never throws on any text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), (anyKey, anyText) => {
        const cursor = codec.encode(anyKey) ?? '';
        expect(codec.decode(cursor)).toEqual(anyKey);
        expect(() => codec.decode(anyText)).not.toThrow();
      }),
    );
  });
});
