/**
 * A transaction's DynamoDB item, read by the repository (./transactions.ts), the timelines
 * (./transaction-timeline.ts) and the pending index (./pending-transactions.ts).
 *
 * Besides its fields (amounts in cents) the item carries its index entries: `gsi1pk`/`gsi1sk` in the
 * storefront's timeline, `gsi2pk`/`gsi2sk` in its customer's and `gsi3pk`/`gsi3sk` in its
 * subscription's (`byStorefront`, `byCustomer`, `bySubscription`, sorted by `<createdAt>#<id>`), and
 * while pending `pendingPk`/`pendingSk` in the sparse `pendingTransactions` index: `pendingPk` is one of
 * `PENDING_SHARDS` partitions picked by a hash of the id, `pendingSk` starts with `lastSentAt`.
 */
import { type OutboxEntry, outboxAttributes } from '../events/outbox';
import { cents } from '../money';
import type { Transaction } from '../payments/transaction';
import { keys } from './keys';
import { shardOf } from './shards';

/** Stored fields of a transaction item besides its keys; amounts in cents. */
export type TransactionItem = Omit<Transaction, 'amount' | 'refunded' | 'outbox'> & {
  pk: string;
  sk: string;
  amountCents: number;
  refundedCents: number;
  /** On a sale: refund id → cents it holds. */
  refundHolds?: Record<string, number>;
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk?: string;
  gsi3sk?: string;
  pendingPk?: string;
  pendingSk?: string;
  outbox?: OutboxEntry[];
  workPk?: string;
  workSk?: string;
};

/** Partitions of the pending index. Changing it requires rewriting every pending item's `pendingPk`. */
export const PENDING_SHARDS = 8;

/** The pending-index partition of a transaction: stable, and uniform over the shards. */
export function pendingShardOf(transactionId: string): number {
  return shardOf(transactionId, PENDING_SHARDS);
}

function pendingEntry(transaction: Transaction) {
  const sentAt = transaction.lastSentAt ?? transaction.createdAt;
  return {
    pendingPk: keys.pendingShard(pendingShardOf(transaction.id)),
    pendingSk: `${sentAt}#${transaction.storefrontId}#${transaction.id}`,
  };
}

/** The item of `transaction`, whose outbox is `events` (carried and new). */
export function toItem(transaction: Transaction, events: readonly OutboxEntry[]): TransactionItem {
  const { amount, refunded, outbox: _carried, ...rest } = transaction;
  const key = keys.transaction(transaction.storefrontId, transaction.id);
  const order = `${transaction.createdAt}#${transaction.id}`;
  const { customerId, subscriptionId, storefrontId } = transaction;
  return {
    ...rest,
    ...key,
    amountCents: amount,
    refundedCents: refunded,
    ...(transaction.type === 'sale' ? { refundHolds: {} } : {}),
    gsi1pk: keys.storefrontTimeline(storefrontId),
    gsi1sk: order,
    ...(customerId ? { gsi2pk: keys.customerTimeline(storefrontId, customerId), gsi2sk: order } : {}),
    ...(subscriptionId
      ? { gsi3pk: keys.subscriptionTimeline(storefrontId, subscriptionId), gsi3sk: order }
      : {}),
    ...(transaction.status === 'pending' ? pendingEntry(transaction) : {}),
    ...outboxAttributes(key.pk, events),
  };
}

export function fromItem(item: Record<string, unknown>): Transaction {
  const {
    pk: _pk,
    sk: _sk,
    amountCents,
    refundedCents,
    refundHolds: _holds,
    gsi1pk: _1,
    gsi1sk: _2,
    gsi2pk: _3,
    gsi2sk: _4,
    gsi3pk: _5,
    gsi3sk: _6,
    pendingPk: _7,
    pendingSk: _8,
    workPk: _9,
    workSk: _10,
    outbox,
    ...rest
  } = item as TransactionItem;
  return {
    ...(rest as Omit<Transaction, 'amount' | 'refunded' | 'outbox'>),
    ...(outbox && outbox.length > 0 ? { outbox } : {}),
    amount: cents(amountCents),
    refunded: cents(refundedCents),
  };
}
