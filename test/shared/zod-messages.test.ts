/**
 * Our English messages are zod's: every issue raised here is given both to ./zod-messages.ts and to
 * zod's own English locale, and their texts must be the same.
 */
import { en } from 'zod/locales';
import { tokenSaleRequestSchema, transactionListQuerySchema } from '../../shared/http/requests/transaction';
import { idempotencyKeySchema, jwtSchema } from '../../shared/http/validation';
import { cents } from '../../shared/money';
import * as z from '../../shared/zod';
import { englishMessage } from '../../shared/zod-messages';

const zodsOwn = en().localeError as (issue: z.core.$ZodRawIssue) => string | { message: string } | undefined;
const pairs: { ours: string; zods: string | undefined }[] = [];

beforeAll(() => {
  z.config({
    localeError: (issue) => {
      const own = zodsOwn(issue);
      pairs.push({ ours: englishMessage(issue), zods: typeof own === 'string' ? own : own?.message });
      return englishMessage(issue);
    },
  });
});
afterAll(() => z.config({ localeError: englishMessage }));

const cases: [string, z.ZodMiniType, unknown][] = [
  ['a body that is not an object', tokenSaleRequestSchema(cents(1000)), 'text'],
  ['a body that is null', tokenSaleRequestSchema(cents(1000)), null],
  ['an array for an object', tokenSaleRequestSchema(cents(1000)), []],
  ['a number for a string', z.object({ orderId: z.string() }), { orderId: 42 }],
  ['a boolean for a number', z.number(), true],
  ['a missing field', z.object({ id: z.string() }), {}],
  ['a string too long', jwtSchema(), 'x'.repeat(9000)],
  ['a string too short', z.string().check(z.minLength(3)), 'ab'],
  ['a string of the wrong exact length', z.string().check(z.length(4)), 'abc'],
  ['a number too big', z.number().check(z.lte(100)), 101],
  ['a number too big (strict)', z.number().check(z.lt(100)), 100],
  ['a number too small', z.number().check(z.gte(1)), 0],
  ['a number too small (strict)', z.number().check(z.gt(1)), 1],
  ['an array too long', z.array(z.string()).check(z.maxLength(1)), ['a', 'b']],
  ['an array too short', z.array(z.string()).check(z.minLength(2)), ['a']],
  ['a value not the literal', z.literal('USD'), 'EUR'],
  ['a value not among the options', z.enum(['day', 'month']), 'week'],
  ['a key that does not match its pattern', idempotencyKeySchema(), 'has space'],
  ['a time that is not ISO', z.iso.datetime(), 'yesterday'],
  ['a date that is not ISO', z.iso.date(), '2026-13-45'],
  ['an unknown key', z.strictObject({ a: z.string() }), { a: 'x', b: 1 }],
  ['unknown keys', z.strictObject({ a: z.string() }), { a: 'x', b: 1, c: 2 }],
  ['a value in no member of a union', z.union([z.string(), z.number()]), true],
  ['a number not a multiple', z.number().check(z.multipleOf(5)), 7],
  ['a record key that does not match', z.record(z.string().check(z.regex(/^a/)), z.string()), { b: 'x' }],
  ['an infinite number', z.number(), Number.POSITIVE_INFINITY],
  ['a bad list query', transactionListQuerySchema(), { limit: 5, cursor: '' }],
];

describe('englishMessage', () => {
  it.each(cases)('writes what zod writes for %s', (_name, schema, input) => {
    // Act
    const before = pairs.length;
    const result = schema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    // Messages are written when the issues are read.
    expect(result.error?.issues.length).toBeGreaterThan(0);
    const raised = pairs.slice(before);
    expect(raised.length).toBeGreaterThan(0);
    for (const { ours, zods } of raised) expect(ours).toBe(zods);
  });
});
