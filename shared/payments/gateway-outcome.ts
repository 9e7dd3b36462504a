/**
 * Turns what the gateway said (a result, or a typed failure) into a transaction's final or pending state.
 * One place decides: approved/declined are results; an unknown outcome stays `pending` (never a decline);
 * a refusal before any card outcome is `failed`.
 */
import {
  GatewayAuthenticationError,
  GatewayError,
  GatewayInvalidRequestError,
  GatewayOutcomeUnknownError,
  GatewayUnavailableError,
} from '../clearent/errors';
import type { GatewayTransaction } from '../clearent/types';
import type { FailureCode, Transaction } from './transaction';

export function applyGatewayResult(draft: Transaction, result: GatewayTransaction): Transaction {
  const card = { ...draft.card };
  if (result.card.brand) card.brand = result.card.brand;
  if (result.card.last4) card.last4 = result.card.last4;
  if (result.card.expDate) card.expDate = result.card.expDate;
  return {
    ...draft,
    status: result.outcome,
    card,
    gateway: {
      transactionId: result.transactionId,
      authorizationCode: result.authorizationCode,
      resultCode: result.resultCode,
      message: result.message,
      exchangeId: result.exchangeId,
    },
  };
}

function failureCodeOf(error: GatewayError): FailureCode | undefined {
  if (error instanceof GatewayUnavailableError) return 'gateway_unavailable';
  if (error instanceof GatewayAuthenticationError) return 'gateway_authentication_failed';
  if (error instanceof GatewayInvalidRequestError) return 'gateway_rejected_request';
  return undefined;
}

/** The transaction after a gateway failure: `pending` when the outcome is unknown, else `failed`. */
export function applyGatewayFailure(draft: Transaction, error: GatewayError): Transaction {
  const gateway = { ...draft.gateway, exchangeId: error.exchangeId, resultCode: error.resultCode };
  // Clearent's reason for refusing a request (an expired or reused JWT, a bad field) helps the storefront.
  if (error instanceof GatewayInvalidRequestError) Object.assign(gateway, { message: error.message });
  if (error instanceof GatewayOutcomeUnknownError) return { ...draft, status: 'pending', gateway };
  return { ...draft, status: 'failed', failureCode: failureCodeOf(error) ?? 'gateway_unavailable', gateway };
}

/** A transaction as the gateway left it, with the reusable card token id when one was created. */
export interface GatewayAttempt {
  transaction: Transaction;
  tokenId?: string;
}

/**
 * Sends one gateway request for `draft` and returns the transaction it leads to. Errors other than
 * gateway errors (bugs, AWS faults) propagate: the caller's idempotency record makes the retry safe.
 */
export async function sendToGateway(
  draft: Transaction,
  send: () => Promise<GatewayTransaction>,
): Promise<GatewayAttempt> {
  try {
    const result = await send();
    return { transaction: applyGatewayResult(draft, result), tokenId: result.tokenId };
  } catch (error) {
    if (error instanceof GatewayError) return { transaction: applyGatewayFailure(draft, error) };
    throw error;
  }
}

/**
 * What the gateway recorded under our invoice: the approved one if any, else the newest. `undefined`
 * when it has nothing, so the request was never processed and may be sent again.
 */
export function pickRecorded(
  found: GatewayTransaction[],
  type: 'SALE' | 'REFUND',
): GatewayTransaction | undefined {
  const ofType = found.filter((candidate) => candidate.type.toUpperCase() === type);
  return ofType.find((candidate) => candidate.outcome === 'approved') ?? ofType[0];
}
