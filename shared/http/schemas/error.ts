/**
 * The error model (contract: Errors): every answer that is not a success is `{ "error": {...} }`, and a
 * sale or refund that reached a final or unknown state carries its `transaction` beside `error`. One
 * schema per error `type`, so the OpenAPI document says which type each status answers with.
 */
import * as z from '../../zod';
import { failureCodeSchema, transactionInStatus } from './transaction';

/** Each error `type` (what the caller must do), with every `code` it comes with (exactly what happened). */
export const errorCodes = {
  invalid_request_error: [
    'validation_error',
    'invalid_json',
    'payload_too_large',
    'idempotency_key_missing',
    'idempotency_key_invalid',
    'invalid_cursor',
    'invalid_jwt',
    'resource_missing',
    'amount_exceeds_refundable',
    'sale_not_refundable',
    'subscription_canceled',
  ],
  authentication_error: ['missing_api_key', 'invalid_api_key'],
  idempotency_error: ['idempotency_key_in_use', 'idempotency_key_reused'],
  card_error: ['card_declined'],
  // A failed transaction's `failureCode`; `outcome_unknown` for a pending one; `gateway_timeout` for a card
  // whose token could not be deleted in time.
  gateway_error: [...failureCodeSchema.options, 'outcome_unknown', 'gateway_timeout'],
  api_error: ['internal_error'],
  rate_limit_error: ['rate_limit_exceeded'],
} as const;

type ErrorType = keyof typeof errorCodes;
export type ErrorCodeOf<Type extends ErrorType> = (typeof errorCodes)[Type][number];

export const apiErrorTypeSchema = z.enum(Object.keys(errorCodes) as [ErrorType, ...ErrorType[]]);

/** The `error` object of every error answer. */
export const apiErrorBodySchema = z.strictObject({
  type: apiErrorTypeSchema.check(z.meta({ description: 'What the caller must do' })),
  code: z
    .enum(Object.values(errorCodes).flat() as [ErrorCodeOf<ErrorType>, ...ErrorCodeOf<ErrorType>[]])
    .check(z.meta({ description: 'Exactly what happened' })),
  message: z
    .string()
    .check(z.meta({ description: 'For people; never contains card numbers, JWTs, tokens or keys' })),
  param: z
    .optional(z.string())
    .check(z.meta({ description: 'The field or header at fault', examples: ['amount'] })),
  declineCode: z.optional(z.string()).check(z.meta({ description: "Clearent's `result-code` of a decline" })),
});

/**
 * `{ error }` whose `type` is `type`, with one of `codes`: all of the type's, unless an answer gives only
 * some of them. No `declineCode`: only a card error has one.
 */
const errorOf = <Type extends ErrorType>(
  type: Type,
  codes: readonly ErrorCodeOf<Type>[] = errorCodes[type],
) =>
  z.strictObject({
    error: z.extend(z.omit(apiErrorBodySchema, { declineCode: true }), {
      type: z.literal(type),
      code: z.enum(codes),
    }),
  });

export const invalidRequestErrorSchema = errorOf('invalid_request_error').check(
  z.meta({
    description:
      'The request is wrong (400), names nothing this storefront has (404), is too large (413), ' +
      "or is not possible in the resource's state (422): fix it before retrying",
  }),
);
export const authenticationErrorSchema = errorOf('authentication_error').check(
  z.meta({
    description: 'The API key is missing or wrong',
  }),
);
export const idempotencyErrorSchema = errorOf('idempotency_error').check(
  z.meta({
    description:
      'The Idempotency-Key is still in use (409: retry after `Retry-After` seconds) or was used ' +
      'for another request (422)',
  }),
);
export const gatewayErrorSchema = errorOf('gateway_error', ['gateway_unavailable', 'gateway_timeout']).check(
  z.meta({ description: 'The card gateway failed a request that is not a charge; nothing changed here' }),
);
export const rateLimitErrorSchema = errorOf('rate_limit_error').check(
  z.meta({
    description:
      'The storefront sent more requests than its rate limit allows; nothing was done. Send the same request ' +
      '(with the same Idempotency-Key) after `Retry-After` seconds',
  }),
);
export const apiErrorSchema = errorOf('api_error').check(
  z.meta({
    description: 'Something went wrong on our side; nothing reached the card gateway',
  }),
);

export const cardErrorSchema = z
  .strictObject({
    error: z.extend(apiErrorBodySchema, {
      type: z.literal('card_error'),
      code: z.enum(errorCodes.card_error),
      declineCode: z.string(),
    }),
    transaction: transactionInStatus('declined'),
  })
  .check(z.meta({ description: 'The card was declined; the `declined` transaction is stored and replayed' }));
export const invalidJwtErrorSchema = z
  .strictObject({
    error: z.extend(z.omit(apiErrorBodySchema, { declineCode: true }), {
      type: z.literal('invalid_request_error'),
      code: z.literal('invalid_jwt'),
      param: z.literal('jwt'),
    }),
    transaction: transactionInStatus('failed'),
  })
  .check(
    z.meta({
      description:
        'The card gateway refused the JWT (malformed, expired or already used): the sale `failed` and nothing ' +
        'was charged; send a fresh JWT under a new Idempotency-Key',
    }),
  );
export const transactionFailedErrorSchema = z
  .extend(errorOf('gateway_error', failureCodeSchema.options), { transaction: transactionInStatus('failed') })
  .check(
    z.meta({
      description:
        'The card gateway failed and is known not to have moved money: the transaction `failed` with this ' +
        '`failureCode`. Retry with the same Idempotency-Key, except after `gateway_rejected_request`',
    }),
  );
export const outcomeUnknownErrorSchema = z
  .strictObject({
    error: z.extend(z.omit(apiErrorBodySchema, { declineCode: true }), {
      type: z.literal('gateway_error'),
      code: z.literal('outcome_unknown'),
    }),
    transaction: transactionInStatus('pending'),
  })
  .check(
    z.meta({
      description:
        'The outcome at the card gateway is not known yet: the transaction is `pending`. Retry with the same ' +
        'Idempotency-Key after `Retry-After` seconds: the retry resolves it first, and it is never charged twice',
    }),
  );

/** API Gateway's own answer, given before any function runs (e.g. 429 when the stage's rate is exceeded). */
export const apiGatewayMessageSchema = z
  .strictObject({ message: z.string().check(z.meta({ examples: ['Too Many Requests'] })) })
  .check(z.meta({ description: "An answer of API Gateway itself, not of the API's functions" }));
