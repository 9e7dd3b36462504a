/**
 * fast-check arbitraries of request bodies the contract refuses: arbitrary JSON and text, and near-valid
 * bodies (valid fields, then one to three changes that each make the body invalid on their own and that
 * no later change can repair). Validity is judged by the contract's rules here, not by the code under test.
 */
import fc from 'fast-check';

const AMOUNT_SHAPE = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const MAX_AMOUNT_CENTS = 9_999_999;

/** The contract's amount: at most two decimals, above zero, at most 99999.99. */
function isValidAmount(text: string): boolean {
  if (!AMOUNT_SHAPE.test(text)) return false;
  const [whole = '0', fraction = ''] = text.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return cents > 0 && cents <= MAX_AMOUNT_CENTS;
}

const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }),
);

/** Any value but a string matching `pattern` (or passing `accepts`). */
function invalidString(accepts: (text: string) => boolean, samples: string[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    notAString,
    fc.constantFrom(...samples, ''),
    fc.string({ maxLength: 20, unit: 'binary' }).filter((text) => !accepts(text)),
  );
}

const matches = (pattern: RegExp) => (text: string) => pattern.test(text);
const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const PRINTABLE = /^[\x20-\x7e]{1,64}$/;
const JWT = /^[\x21-\x7e]{1,8192}$/;

const validAmount = fc
  .integer({ min: 1, max: MAX_AMOUNT_CENTS })
  .map((cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
const invalidAmount = invalidString(isValidAmount, [
  '1.005',
  '0',
  '0.00',
  '-1.00',
  '1e3',
  ' 1.00',
  '1,00',
  '.50',
  '01.00',
  '100000.00',
  'NaN',
]);

/** One field of a route's body: how a valid value and an invalid one are made. */
interface FieldRule {
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
  required: boolean;
}

export type BodyRules = Record<string, FieldRule>;

const field = (valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>, required = false) => ({
  valid,
  invalid,
  required,
});

const text255 = field(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.oneof(notAString, fc.constant(''), fc.constant('d'.repeat(256))),
);
const orderId = field(
  fc.stringMatching(PRINTABLE),
  invalidString(matches(PRINTABLE), ['o'.repeat(65), 'A\n1']),
);
const customerId = (valid: fc.Arbitrary<string>, required = false) =>
  field(valid, invalidString(matches(CUSTOMER_ID), [' cus', 'cus/1', 'c'.repeat(65)]), required);
const prefixedId = (prefix: string, known: string[]) => {
  const pattern = new RegExp(`^${prefix}_[0-9A-Za-z]{1,40}$`);
  const valid = fc.oneof(fc.constantFrom(...known), fc.stringMatching(pattern));
  return field(valid, invalidString(matches(pattern), [`${prefix}_`, `${prefix}-1`, `${prefix}_a b`]), true);
};

/** POST /v1/sales/jwt, its JWTs drawn from `jwts` (real, unused ones) or any well-shaped string. */
export function jwtSaleRules(jwts: string[], customerIds: string[]): BodyRules {
  return {
    amount: field(validAmount, invalidAmount, true),
    jwt: field(
      fc.oneof(fc.constantFrom(...jwts), fc.stringMatching(/^[\x21-\x7e]{1,30}$/)),
      invalidString(matches(JWT), ['a b', 'j'.repeat(8193), `${jwts[0]} `]),
      true,
    ),
    customerId: customerId(fc.constantFrom(...customerIds)),
    saveCard: field(fc.boolean(), fc.oneof(fc.constantFrom('true', 1, 0, null), fc.string())),
    orderId,
    description: text255,
  };
}

/** POST /v1/sales/token against a real customer and card (and well-shaped others). */
export function tokenSaleRules(customerIds: string[], cardIds: string[]): BodyRules {
  return {
    amount: field(validAmount, invalidAmount, true),
    customerId: customerId(fc.constantFrom(...customerIds), true),
    cardId: prefixedId('card', cardIds),
    orderId,
    description: text255,
  };
}

/** POST /v1/refunds against real sales (and well-shaped others). */
export function refundRules(saleIds: string[]): BodyRules {
  return {
    transactionId: prefixedId('txn', saleIds),
    amount: field(validAmount, invalidAmount),
    reason: text255,
  };
}

/** Set with defineProperty, so that a field named `__proto__` is a field, as JSON.parse makes it. */
export const OWN_FIELD = { enumerable: true, writable: true, configurable: true };

type Change =
  | { kind: 'invalidate'; name: string; value: unknown }
  | { kind: 'drop'; name: string }
  | { kind: 'add'; name: string; value: unknown };

/** Valid fields, then 1 to 3 changes: an invalid value, a required field dropped, or an unknown field. */
function nearValidBody(rules: BodyRules): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(rules);
  const required = names.filter((name) => rules[name]?.required);
  const model = Object.fromEntries(names.map((name) => [name, rules[name]?.valid ?? fc.constant(null)]));
  const unknownName = fc
    .oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...names.map((name) => `${name}_`)))
    .filter((name) => !names.includes(name));
  const change: fc.Arbitrary<Change> = fc.oneof(
    fc.constantFrom(...names).chain((name) =>
      (rules[name]?.invalid ?? fc.constant(null)).map((value) => ({
        kind: 'invalidate' as const,
        name,
        value,
      })),
    ),
    fc.constantFrom(...required).map((name) => ({ kind: 'drop' as const, name })),
    fc.tuple(unknownName, fc.jsonValue()).map(([name, value]) => ({ kind: 'add' as const, name, value })),
  );
  return fc
    .tuple(fc.record(model, { requiredKeys: required }), fc.array(change, { minLength: 1, maxLength: 3 }))
    .map(([valid, changes]) => {
      const body: Record<string, unknown> = { ...valid };
      for (const applied of changes) {
        if (applied.kind === 'drop') delete body[applied.name];
        else Object.defineProperty(body, applied.name, { ...OWN_FIELD, value: applied.value });
      }
      return body;
    });
}

/** True for a JSON object the rules cannot accept by its keys alone (an unknown or a missing field). */
function refusedByKeys(value: unknown, rules: BodyRules): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  const names = Object.keys(value);
  const missing = Object.entries(rules).some(([name, rule]) => rule.required && !names.includes(name));
  return missing || names.some((name) => !Object.hasOwn(rules, name));
}

/** A raw request body the route must refuse with 400, and nothing else. */
export function invalidRawBody(rules: BodyRules): fc.Arbitrary<string> {
  const parsesToObject = (text: string) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  };
  return fc.oneof(
    { weight: 6, arbitrary: nearValidBody(rules).map((body) => JSON.stringify(body)) },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue()
        .filter((value) => refusedByKeys(value, rules))
        .map((value) => JSON.stringify(value)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((text) => !parsesToObject(text)) },
  );
}
