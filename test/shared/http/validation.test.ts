/**
 * The field schemas every route shares, and the Idempotency-Key check, against the contract's hand-written
 * examples (test/functions/support/contract-examples.ts), one example at a time: each valid example is
 * accepted as itself, each invalid one is refused with a 400 naming the field.
 */

import { InvalidRequestError } from '../../../shared/http/errors';
import { idempotencyKeyOf } from '../../../shared/http/idempotency';
import type { ApiRequest } from '../../../shared/http/request';
import {
  amountSchema,
  cardIdSchema,
  customerIdSchema,
  descriptionSchema,
  jwtSchema,
  orderIdSchema,
  parseWith,
  transactionIdSchema,
} from '../../../shared/http/validation';
import { cents } from '../../../shared/money';
import * as z from '../../../shared/zod';
import {
  AMOUNT,
  CARD_ID,
  CARD_NUMBERS,
  CARD_NUMBERS_IN_TEXT,
  CONTROL_CHARACTER_TEXTS,
  CUSTOMER_ID,
  type FieldExamples,
  FREE_TEXT,
  IDEMPOTENCY_KEY,
  JWT,
  NOT_CARD_NUMBERS,
  ORDER_ID,
  REQUIRED_NULL,
  TRANSACTION_ID,
} from '../../functions/support/contract-examples';

/** A printable name for an example, for test titles. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  const text = json.replace(
    /[\u007f-\u009f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

const named = <Value>(values: readonly Value[]) => values.map((value) => [shown(value), value] as const);

/** Parses `{ [name]: value }` as a route body would be parsed; the error thrown, if any. */
function refusal(schema: z.ZodMiniType, name: string, value: unknown): InvalidRequestError | undefined {
  try {
    parseWith(z.strictObject({ [name]: schema }), { [name]: value });
    return undefined;
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
}

/** The contract's 400 for a field: an invalid_request_error naming it. */
const refusedNaming = (name: string) =>
  expect.objectContaining({ statusCode: 400, type: 'invalid_request_error', param: name });

/** The Luhn check, as the contract names it, to check the examples themselves. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

describe('The contract examples themselves', () => {
  it.each(named([...CARD_NUMBERS, ...CARD_NUMBERS_IN_TEXT]))(
    '%s holds a card number by the contract: 13 to 19 digits, spaces or dashes between them, passing Luhn',
    (_name, text) => {
      const candidate = /\d(?:[ -]?\d){12,18}/.exec(text)?.[0] ?? '';
      const digits = candidate.replace(/[ -]/g, '');
      expect(digits.length).toBeGreaterThanOrEqual(13);
      expect(digits.length).toBeLessThanOrEqual(19);
      expect(passesLuhn(digits)).toBe(true);
    },
  );

  it.each(named(NOT_CARD_NUMBERS))(
    '%s is no card number by the contract: too short, or fails Luhn',
    (_name, text) => {
      expect(text).toMatch(/^\d{12,13}$/);
      expect(text.length === 12 || !passesLuhn(text)).toBe(true);
    },
  );

  it.each(named(CONTROL_CHARACTER_TEXTS))('%s holds a control character', (_name, text) => {
    expect(text).toMatch(/\p{Cc}/u);
  });
});

describe('Function: amountSchema', () => {
  const defaultMaximum = amountSchema(cents(9_999_999));

  it.each([...AMOUNT.validCents])('accepts %j as %i cents (default maximum)', (text, expected) => {
    expect(parseWith(z.strictObject({ amount: defaultMaximum }), { amount: text })).toEqual({
      amount: expected,
    });
  });

  it.each(named([...AMOUNT.invalid, ...REQUIRED_NULL]))(
    'refuses %s naming amount (default maximum)',
    (_name, value) => {
      expect(refusal(defaultMaximum, 'amount', value)).toEqual(refusedNaming('amount'));
    },
  );

  describe('with a configured maximum of 50.00', () => {
    const fifty = amountSchema(cents(5000));

    it.each([
      ['50.00', 5000],
      ['50', 5000],
      ['50.0', 5000],
      ['49.99', 4999],
      ['0.01', 1],
    ])('accepts %j, at most the maximum, as %i cents', (text, expected) => {
      expect(parseWith(z.strictObject({ amount: fifty }), { amount: text })).toEqual({ amount: expected });
    });

    it.each(['50.01', '51', '99999.99'])('refuses %j, above the maximum, naming amount', (text) => {
      expect(refusal(fifty, 'amount', text)).toEqual(refusedNaming('amount'));
    });
  });

  describe('with a configured maximum of 0.01', () => {
    const oneCent = amountSchema(cents(1));

    it('accepts 0.01, the maximum, and refuses 0.02, one cent over', () => {
      expect(oneCent.parse('0.01')).toBe(1);
      expect(refusal(oneCent, 'amount', '0.02')).toEqual(refusedNaming('amount'));
    });
  });
});

/** A string field's schema against its examples: valid ones accepted unchanged, invalid ones refused. */
function describeStringField(title: string, name: string, schema: z.ZodMiniType, examples: FieldExamples) {
  describe(title, () => {
    it.each(named(examples.valid))(`accepts %s as the ${name}`, (_name, value) => {
      expect(parseWith(z.strictObject({ [name]: schema }), { [name]: value })).toEqual({ [name]: value });
    });

    it.each(named([...examples.invalid, ...REQUIRED_NULL]))(`refuses %s naming ${name}`, (_name, value) => {
      expect(refusal(schema, name, value)).toEqual(refusedNaming(name));
    });
  });
}

describeStringField('Schema: customerIdSchema', 'customerId', customerIdSchema(), CUSTOMER_ID);
describeStringField('Schema: orderIdSchema', 'orderId', orderIdSchema(), ORDER_ID);
describeStringField(
  'Schema: descriptionSchema, as a description',
  'description',
  descriptionSchema(),
  FREE_TEXT,
);
describeStringField(
  'Schema: descriptionSchema, as a refund reason',
  'reason',
  descriptionSchema(),
  FREE_TEXT,
);
describeStringField('Schema: jwtSchema', 'jwt', jwtSchema(), JWT);
describeStringField('Schema: transactionIdSchema', 'transactionId', transactionIdSchema(), TRANSACTION_ID);
describeStringField('Schema: cardIdSchema', 'cardId', cardIdSchema(), CARD_ID);

describe('Function: idempotencyKeyOf', () => {
  const requestWith = (key: string | null): ApiRequest => ({
    storefrontId: 'sf_1',
    routeKey: 'POST /v1/sales/jwt',
    body: {},
    pathParameters: {},
    query: {},
    headers: key === null ? {} : { 'idempotency-key': key },
  });

  it.each(named(IDEMPOTENCY_KEY.valid))('accepts %s', (_name, key) => {
    expect(idempotencyKeyOf(requestWith(key as string))).toBe(key);
  });

  it.each(named(IDEMPOTENCY_KEY.invalid))('refuses %s 400 naming Idempotency-Key', (_name, key) => {
    let thrown: unknown;
    try {
      idempotencyKeyOf(requestWith(key as string | null));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(refusedNaming('Idempotency-Key'));
  });
});
