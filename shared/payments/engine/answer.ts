/**
 * What one answer from the gateway means for an attempt (docs/money-movement.md, "Check every answer"):
 * a final outcome, "known not moved", or "unknown". One place decides, for every kind of money movement.
 */
import {
  GatewayAuthenticationError,
  type GatewayError,
  GatewayInvalidRequestError,
  GatewayOutcomeUnknownError,
  GatewayUnavailableError,
} from '../../clearent/errors';
import type { GatewayTransaction } from '../../clearent/types';
import type { FailureCode, Transaction } from '../transaction';

export type Outcome =
  /** Approved, declined, or refused as a bad request: the transaction is settled. */
  | { kind: 'final'; transaction: Transaction; tokenId?: string }
  /** The gateway is known not to have moved money; the attempt may be sent again. */
  | { kind: 'not-moved'; transaction: Transaction }
  /** Nobody can tell yet: the attempt stays pending until a search decides. */
  | { kind: 'unknown' };

/** The transaction as the gateway recorded it (from a sale's answer or a search). */
export function withGatewayRecord(sent: Transaction, record: GatewayTransaction): Transaction {
  const card = { ...sent.card };
  if (record.card.brand) card.brand = record.card.brand;
  if (record.card.last4) card.last4 = record.card.last4;
  if (record.card.expDate) card.expDate = record.card.expDate;
  return {
    ...sent,
    status: record.outcome,
    failureCode: undefined,
    card,
    gateway: {
      transactionId: record.transactionId,
      authorizationCode: record.authorizationCode,
      resultCode: record.resultCode,
      message: record.message,
      exchangeId: record.exchangeId,
    },
  };
}

/** Is this approval for the invoice and amount we sent? `undefined` when the answer does not say. */
export function isOurApproval(sent: Transaction, record: GatewayTransaction): boolean | undefined {
  if (record.invoice !== undefined && record.invoice !== sent.id) return false;
  if (record.amount !== undefined && record.amount !== sent.amount) return false;
  return record.invoice === undefined ? undefined : true;
}

/** The gateway's answer to a send. */
export function outcomeOfAnswer(sent: Transaction, record: GatewayTransaction): Outcome {
  if (record.outcome === 'declined') return { kind: 'final', transaction: withGatewayRecord(sent, record) };
  const ours = isOurApproval(sent, record);
  // An answer without our invoice cannot be told from Clearent's duplicate answer: the search decides.
  if (ours === undefined) return { kind: 'unknown' };
  if (!ours) return { kind: 'final', transaction: duplicateDecline(sent, record) };
  return { kind: 'final', transaction: withGatewayRecord(sent, record), tokenId: record.tokenId };
}

/**
 * Clearent's duplicate check answered with an earlier transaction: nothing was charged for this one.
 * The earlier transaction's id is kept out of ours, so nothing can refund it through this sale.
 */
function duplicateDecline(sent: Transaction, record: GatewayTransaction): Transaction {
  return {
    ...sent,
    status: 'declined',
    failureCode: undefined,
    gateway: {
      resultCode: 'duplicate',
      message: 'The gateway answered with an earlier transaction (duplicate check): nothing was charged',
      exchangeId: record.exchangeId,
    },
  };
}

const NOT_MOVED: ReadonlyArray<[new (...args: never[]) => GatewayError, FailureCode]> = [
  [GatewayUnavailableError, 'gateway_unavailable'],
  [GatewayAuthenticationError, 'gateway_authentication_failed'],
];

/** A typed gateway failure of a send. */
export function outcomeOfFailure(sent: Transaction, error: GatewayError): Outcome {
  if (error instanceof GatewayOutcomeUnknownError) return { kind: 'unknown' };
  const gateway = { ...sent.gateway, exchangeId: error.exchangeId, resultCode: error.resultCode };
  if (error instanceof GatewayInvalidRequestError) {
    // Clearent's reason (an expired or reused JWT, a bad field) helps the storefront.
    const transaction: Transaction = {
      ...sent,
      status: 'failed',
      failureCode: 'gateway_rejected_request',
      gateway: { ...gateway, message: error.message },
    };
    return { kind: 'final', transaction };
  }
  const failureCode = NOT_MOVED.find(([type]) => error instanceof type)?.[1];
  if (failureCode === undefined) return { kind: 'unknown' };
  return { kind: 'not-moved', transaction: { ...sent, status: 'failed', failureCode, gateway } };
}
