/**
 * The Transaction: one sale or refund, as stored and as shown to the storefront.
 */
import { type Cents, formatAmount } from '../money';

export type TransactionType = 'sale' | 'refund';
export type TransactionStatus = 'approved' | 'declined' | 'pending' | 'failed';

/** Why a transaction `failed`: the gateway refused the request before any card outcome. */
export type FailureCode =
  | 'gateway_unavailable'
  | 'gateway_authentication_failed'
  | 'gateway_rejected_request';

export interface CardSummary {
  brand?: string;
  last4?: string;
  expDate?: string;
}

export interface GatewayReference {
  transactionId?: string;
  authorizationCode?: string;
  resultCode?: string;
  message?: string;
  exchangeId?: string;
}

/** A response exactly as first sent, kept so an idempotent replay returns it byte for byte. */
export interface StoredResponse {
  statusCode: number;
  body: string;
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
  /** JWT sale only: save the card to `customerId` once the sale is approved. */
  saveCard?: boolean;
  createdAt: string;
  /** Set once the transaction is final (approved, declined, failed). */
  response?: StoredResponse;
}

/**
 * Settled: its answer is final and replayed under its Idempotency-Key. Not settled: pending (outcome
 * unknown), or failed because the gateway was unavailable; a retry under the same key first asks the
 * gateway, by invoice, whether it was charged after all, and sends it again only if not. (Clearent's
 * 5xx normally means nothing was charged; the lookup makes that "normally" safe.)
 */
export const isSettled = (transaction: Transaction): boolean =>
  transaction.status !== 'pending' &&
  !(transaction.status === 'failed' && transaction.failureCode === 'gateway_unavailable');

/** The public representation (contract: Resources > Transaction). */
export interface TransactionResource {
  id: string;
  type: TransactionType;
  status: TransactionStatus;
  amount: string;
  currency: 'USD';
  refundedAmount: string;
  saleId: string | null;
  customerId: string | null;
  cardId: string | null;
  subscriptionId: string | null;
  card: CardSummary | null;
  orderId: string | null;
  description: string | null;
  gateway: GatewayReference | null;
  createdAt: string;
}

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
    createdAt: transaction.createdAt,
  };
}
