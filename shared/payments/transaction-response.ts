/**
 * The HTTP answer for a sale or refund, from its status alone: one mapping for every route that charges
 * or refunds, so a declined refund and a declined sale look alike.
 */
import type { ApiErrorBody } from '../http/errors';
import { type StoredResponse, type Transaction, toTransactionResource } from './transaction';

const RETRY_SAME_KEY =
  'Retry with the same Idempotency-Key: the retry checks with the gateway first, so it cannot charge twice';

const FAILURE_MESSAGES: Record<NonNullable<Transaction['failureCode']>, string> = {
  gateway_unavailable: `The card gateway could not be reached; nothing was charged. ${RETRY_SAME_KEY}`,
  gateway_authentication_failed: `The card gateway refused this storefront's credentials; nothing was charged. ${RETRY_SAME_KEY} once they are fixed`,
  gateway_rejected_request: 'The card gateway rejected the request; nothing was charged',
  not_charged: `The card gateway has no record of this request after the settle window: nothing was charged. ${RETRY_SAME_KEY}`,
};

/** Clearent's result code for a mobile JWT it refuses (malformed, expired, already used). */
const INVALID_JWT_RESULT_CODE = '041';

/** A JWT the gateway refused is the caller's mistake (contract, Errors), not the gateway's. */
function isRefusedJwt(transaction: Transaction): boolean {
  return (
    transaction.cardSource === 'jwt' &&
    transaction.failureCode === 'gateway_rejected_request' &&
    (transaction.gateway?.resultCode === INVALID_JWT_RESULT_CODE ||
      /jwt/i.test(transaction.gateway?.message ?? ''))
  );
}

function errorFor(transaction: Transaction): { statusCode: number; error: ApiErrorBody } | undefined {
  switch (transaction.status) {
    case 'approved':
      return undefined;
    case 'declined':
      return {
        statusCode: 402,
        error: {
          type: 'card_error',
          code: 'card_declined',
          message: transaction.gateway?.message ?? 'The card was declined',
          declineCode: transaction.gateway?.resultCode ?? 'unknown',
        },
      };
    case 'pending':
      return {
        statusCode: 504,
        error: {
          type: 'gateway_error',
          code: 'outcome_unknown',
          message:
            'The outcome at the card gateway is not known yet. Retry with the same Idempotency-Key after ' +
            'Retry-After seconds to resolve it; it will not be charged twice',
        },
      };
    case 'failed': {
      if (isRefusedJwt(transaction)) {
        return {
          statusCode: 400,
          error: {
            type: 'invalid_request_error',
            code: 'invalid_jwt',
            message: `The card gateway refused the jwt (${transaction.gateway?.message ?? 'invalid'}); nothing was charged. Get a fresh one and send it under a new Idempotency-Key`,
            param: 'jwt',
          },
        };
      }
      const code = transaction.failureCode ?? 'gateway_unavailable';
      const reason = code === 'gateway_rejected_request' ? transaction.gateway?.message : undefined;
      const message = reason ? `${FAILURE_MESSAGES[code]} (${reason})` : FAILURE_MESSAGES[code];
      return { statusCode: 502, error: { type: 'gateway_error', code, message } };
    }
  }
}

/** 201 with the transaction when approved; otherwise the contract's error status with `error` and `transaction`. */
export function transactionResponse(transaction: Transaction): StoredResponse {
  const resource = toTransactionResource(transaction);
  const failure = errorFor(transaction);
  if (!failure) return { statusCode: 201, body: JSON.stringify(resource) };
  return {
    statusCode: failure.statusCode,
    body: JSON.stringify({ error: failure.error, transaction: resource }),
  };
}
