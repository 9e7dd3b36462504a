/**
 * The HTTP answer for a sale or refund, from its status alone: one mapping for every route that charges
 * or refunds, so a declined refund and a declined sale look alike.
 */
import type { ApiErrorBody } from '../http/errors';
import { type StoredResponse, type Transaction, toTransactionResource } from './transaction';

const FAILURE_MESSAGES: Record<NonNullable<Transaction['failureCode']>, string> = {
  gateway_unavailable:
    'The card gateway is unavailable. Retry with the same Idempotency-Key: the retry checks with the gateway first, so it cannot charge twice',
  gateway_authentication_failed:
    "The card gateway refused this storefront's credentials; nothing was charged",
  gateway_rejected_request: 'The card gateway rejected the request; nothing was charged',
};

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
          code: 'gateway_timeout',
          message:
            'The card gateway did not answer in time, so the outcome is unknown. ' +
            'Retry with the same Idempotency-Key to resolve it; it will not be charged twice',
        },
      };
    case 'failed': {
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
