/**
 * Request validation with zod: the field schemas every route shares, and one way to turn a zod failure
 * into the contract's 400 (naming the field, never echoing its value).
 *
 * Each field schema is a getter (`customerIdSchema()`), built on its first call and kept (../lazy.ts):
 * importing this module builds nothing.
 */
import { lazy } from '../lazy';
import type { Cents } from '../money';
import { AMOUNT_PATTERN, formatAmount, InvalidAmountError, parseAmount } from '../money';
import * as z from '../zod';
import { InvalidRequestError } from './errors';
import { containsCardNumber, containsControlCharacter } from './free-text';

/** A decimal dollar string, greater than zero and at most `max`, as cents. */
export function amountSchema(max: Cents) {
  return z
    .pipe(
      z.string({ error: 'amount must be a decimal string, like "25.55"' }),
      z.transform((text: string, context): Cents => {
        let amount: Cents;
        try {
          amount = parseAmount(text);
        } catch (error) {
          if (!(error instanceof InvalidAmountError)) throw error;
          context.issues.push({
            code: 'custom',
            message: 'amount must be a decimal string with at most two decimals, like "25.55"',
            input: text,
          });
          return z.NEVER;
        }
        if (amount === 0 || amount > max) {
          context.issues.push({
            code: 'custom',
            message: `amount must be greater than 0.00 and at most ${formatAmount(max)}`,
            input: text,
          });
          return z.NEVER;
        }
        return amount;
      }),
    )
    .check(
      z.meta({
        pattern: AMOUNT_PATTERN.source,
        description:
          'US dollars as a decimal string (`"25.55"`, `"99"`, `"0.50"`): at most two decimals, greater than 0, ' +
          'and at most the configured maximum (default `"99999.99"`)',
      }),
    );
}

const PRINTABLE = /^[\x20-\x7e]+$/;

/** A free-text field: no control characters, and nothing that looks like a card number (./free-text.ts). */
function freeText<Schema extends z.ZodMiniString>(schema: Schema, name: string) {
  return schema.check(
    z.refine(
      (text: string) => !containsControlCharacter(text),
      `${name} must not contain control characters`,
    ),
    z.refine((text: string) => !containsCardNumber(text), `${name} must not contain a card number`),
  );
}

export const customerIdSchema = /* @__PURE__ */ lazy(() =>
  freeText(
    z
      .string()
      .check(
        z.regex(
          /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
          'customerId must be 1 to 64 letters, digits, "_", ".", ":" or "-"',
        ),
      ),
    'customerId',
  ).check(z.meta({ description: "The storefront's own id of its customer", examples: ['cus_42'] })),
);
export const transactionIdSchema = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^txn_[0-9A-Za-z]{1,40}$/, 'transactionId must look like "txn_..."')),
);
export const cardIdSchema = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^card_[0-9A-Za-z]{1,40}$/, 'cardId must look like "card_..."')),
);
export const subscriptionIdSchema = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^sub_[0-9A-Za-z]{1,40}$/, 'subscriptionId must look like "sub_..."')),
);
export const eventIdSchema = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^evt_[0-9A-Za-z]{1,40}$/, 'eventId must look like "evt_..."')),
);
export const endpointIdSchema = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^we_[0-9A-Za-z]{1,40}$/, 'endpointId must look like "we_..."')),
);
export const limitSchema = /* @__PURE__ */ lazy(() =>
  z
    .pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 100')),
        z.transform(Number),
      ),
      z.number().check(z.gte(1, 'limit must be at least 1'), z.lte(100, 'limit must be at most 100')),
    )
    .check(z.meta({ description: 'How many to return, 1 to 100; default 10' })),
);
export const cursorSchema = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(2048),
      z.meta({ description: 'The `nextCursor` of the previous page' }),
    ),
);
export const orderIdSchema = /* @__PURE__ */ lazy(() =>
  freeText(
    z.string().check(z.minLength(1), z.maxLength(64), z.regex(PRINTABLE, 'orderId must be printable ASCII')),
    'orderId',
  ).check(
    z.meta({
      description: "The storefront's order id, sent to Clearent as `order-id`",
      examples: ['A-1001'],
    }),
  ),
);
/** `description`, and a refund's `reason`. */
export const descriptionSchema = /* @__PURE__ */ lazy(() =>
  freeText(z.string().check(z.minLength(1), z.maxLength(255)), 'the text').check(
    z.meta({ description: 'Free text without control characters or anything that looks like a card number' }),
  ),
);
/** The `Idempotency-Key` header of every POST and PATCH (contract: Idempotency). */
export const idempotencyKeySchema = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^[\x21-\x7e]{1,255}$/)),
);
/** The browser SDK's one-time token: opaque, only its shape is checked. */
export const jwtSchema = /* @__PURE__ */ lazy(() =>
  z.string().check(
    z.minLength(1),
    z.maxLength(8192),
    z.regex(/^[\x21-\x7e]+$/, "jwt must be the token from Clearent's JavaScript SDK"),
    z.meta({
      description: "The one-time token from Clearent's JavaScript SDK (`ClearentSDK.getPaymentToken()`)",
    }),
  ),
);

/**
 * What an unknown field's name must look like to be named back in the error (a misspelt field always
 * does): a body keyed by a card number, a JWT or a token id must not have it echoed.
 */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/**
 * Validates `value`, or throws a 400 naming the first offending field. `name` is the param reported for
 * a bare value (a path parameter), whose failures carry no field path of their own.
 */
export function parseWith<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
  name?: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const unknownKey = issue.keys.find((key) => FIELD_NAME.test(key));
    throw unknownKey === undefined
      ? new InvalidRequestError('validation_error', 'The request has a field that is not part of the API')
      : new InvalidRequestError('validation_error', `Unknown field "${unknownKey}"`, unknownKey);
  }
  const path = issue?.path.length ? issue.path.join('.') : undefined;
  const param = path ?? name;
  const message = `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid request'}`;
  throw new InvalidRequestError('validation_error', message, param);
}
