/**
 * The Transaction: one sale or refund, as stored and as shown to the storefront.
 */

import type { OutboxEntry } from '../events/outbox';
import type {
  cardSummarySchema,
  failureCodeSchema,
  gatewayReferenceSchema,
  transactionSchema,
  transactionStatusSchema,
  transactionTypeSchema,
} from '../http/schemas/transaction';
import { type Cents, formatAmount } from '../money';
import type * as z from '../zod';

export type TransactionType = z.infer<typeof transactionTypeSchema>;
export type TransactionStatus = z.infer<typeof transactionStatusSchema>;
/** Why a transaction `failed` (../http/schemas/transaction.ts). */
export type FailureCode = z.infer<typeof failureCodeSchema>;

/** An extra approval found at the gateway for this transaction's invoice, and how it was reversed. */
export interface ReversedDuplicate {
  gatewayTransactionId: string;
  reversal: 'void' | 'refund' | 'failed';
  at: string;
}

export type CardSummary = z.infer<typeof cardSummarySchema>;
export type GatewayReference = z.infer<typeof gatewayReferenceSchema>;

/** A response exactly as first sent, kept so an idempotent replay returns it byte for byte. */
export interface StoredResponse {
  statusCode: number;
  body: string;
  /** Headers that belong to this answer only (e.g. `retry-after`); never stored for a replay. */
  headers?: Record<string, string>;
}

export interface Transaction {
  id: string;
  storefrontId: string;
  type: TransactionType;
  status: TransactionStatus;
  amount: Cents;
  /** On a sale: approved refunds plus refunds in flight (reserved before the gateway is called). */
  refunded: Cents;
  saleId?: string;
  customerId?: string;
  cardId?: string;
  subscriptionId?: string;
  card?: CardSummary;
  orderId?: string;
  description?: string;
  reason?: string;
  gateway?: GatewayReference;
  failureCode?: FailureCode;
  /** How the card was given: a one-time JWT from the browser SDK, or a saved card. */
  cardSource?: 'jwt' | 'saved_card';
  /** JWT sale only: save the card to `customerId` once the sale is approved. */
  saveCard?: boolean;
  /** JWT sale recovered by search, whose gateway record carried no token: approved, card not saved. */
  cardSaveFailed?: boolean;
  createdAt: string;
  /** Requests sent to the gateway for this attempt; every begin is conditioned on the count seen. */
  sendCount?: number;
  /** ISO time of the last request sent: the settle window counts from it. */
  lastSentAt?: string;
  /** The Idempotency-Key that created it, so whoever settles it can start the key's expiry. */
  idempotencyKey?: string;
  reversedDuplicates?: ReversedDuplicate[];
  /** Set once the transaction is final (approved, declined, failed as rejected). */
  response?: StoredResponse;
  /**
   * Its events not yet published, as read from the store: every write carries them on, and adds the
   * events of its own change (shared/events/outbox.ts). Never shown.
   */
  outbox?: readonly OutboxEntry[];
}

/**
 * Settled: its answer is final and replayed under its Idempotency-Key (docs/money-movement.md). Not
 * settled: `pending` (the outcome is unknown) or known not to have moved money (`failed` for any reason
 * but a rejected request), which the same attempt may send again.
 */
export const isSettled = (transaction: Transaction): boolean =>
  transaction.status === 'approved' ||
  transaction.status === 'declined' ||
  (transaction.status === 'failed' && transaction.failureCode === 'gateway_rejected_request');

/** Known not to have moved money, and not final: the attempt may be sent again. */
export const isResendable = (transaction: Transaction): boolean =>
  transaction.status === 'failed' && !isSettled(transaction);

/** The public representation (contract: Resources > Transaction), as its schema says. */
export type TransactionResource = z.infer<typeof transactionSchema>;

export function toTransactionResource(transaction: Transaction): TransactionResource {
  return {
    id: transaction.id,
    type: transaction.type,
    status: transaction.status,
    amount: formatAmount(transaction.amount),
    currency: 'USD',
    refundedAmount: formatAmount(transaction.refunded),
    saleId: transaction.saleId ?? null,
    customerId: transaction.customerId ?? null,
    cardId: transaction.cardId ?? null,
    subscriptionId: transaction.subscriptionId ?? null,
    card: transaction.card ?? null,
    orderId: transaction.orderId ?? null,
    description: transaction.description ?? null,
    gateway: transaction.gateway ?? null,
    failureCode: transaction.failureCode ?? null,
    cardSaveFailed: transaction.cardSaveFailed ?? false,
    createdAt: transaction.createdAt,
  };
}
