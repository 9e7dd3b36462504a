/**
 * Transactions in DynamoDB. One item per transaction (GetItem by id); three sparse index entries give
 * the newest-first timelines of a storefront, a customer and a subscription, and a pending one also
 * sits in the sparse `pendingTransactions` index that reconciliation reads. Every write is one of the
 * attempt's conditional transitions (docs/money-movement.md).
 */
import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { transactionEvents } from '../events/derive';
import { type OutboxEntry, outboxAttributes } from '../events/outbox';
import { type Cents, cents } from '../money';
import type {
  PendingPage,
  TransactionPage,
  TransactionQuery,
  TransactionRepository,
} from '../payments/ports';
import type { Transaction } from '../payments/transaction';
import { transactionResponse } from '../payments/transaction-response';
import { type CursorCodec, startKeyOf } from './cursor';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';

/** Stored fields of a transaction item besides its keys; amounts in cents. */
type TransactionItem = Omit<Transaction, 'amount' | 'refunded' | 'outbox'> & {
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

const PENDING_PAGE_SIZE = 25;

/** The pending-index partition of a transaction: stable, and uniform over the shards. */
export function pendingShardOf(transactionId: string): number {
  return createHash('sha256').update(transactionId).digest().readUInt32BE(0) % PENDING_SHARDS;
}

function pendingEntry(transaction: Transaction) {
  const sentAt = transaction.lastSentAt ?? transaction.createdAt;
  return {
    pendingPk: keys.pendingShard(pendingShardOf(transaction.id)),
    pendingSk: `${sentAt}#${transaction.storefrontId}#${transaction.id}`,
  };
}

/** The item of `transaction`, whose outbox is `events` (carried and new). */
function toItem(transaction: Transaction, events: readonly OutboxEntry[]): TransactionItem {
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

function fromItem(item: Record<string, unknown>): Transaction {
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

export class DynamoTransactionRepository implements TransactionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /**
     * Signs and checks list cursors. A provider, called by `list` only: the signing secret is read on
     * the first list, not at cold start, and not at all by functions that never list.
     */
    private readonly cursors: () => Promise<CursorCodec>,
    /** The time events are stamped with. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  /** The events `transaction` carries and those of its change from `before`. */
  private events(before: Pick<Transaction, 'status'> | undefined, transaction: Transaction) {
    return transactionEvents(before, transaction, transaction.outbox ?? [], this.clock.now());
  }

  async get(storefrontId: string, transactionId: string): Promise<Transaction | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.transaction(storefrontId, transactionId));
    return Item ? fromItem(Item) : undefined;
  }

  async create(transaction: Transaction): Promise<boolean> {
    return sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(transaction, this.events(undefined, transaction)),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async replace(transaction: Transaction, seen: Pick<Transaction, 'sendCount' | 'status'>): Promise<boolean> {
    const seenSendCount = seen.sendCount ?? 0;
    // An item written before send counts existed has none: it is at zero.
    const atCount =
      seenSendCount === 0 ? '(attribute_not_exists(sendCount) OR sendCount = :seen)' : 'sendCount = :seen';
    return sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(transaction, this.events(seen, transaction)),
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#response) AND #status = :status AND ${atCount}`,
        ExpressionAttributeNames: { '#response': 'response', '#status': 'status' },
        ExpressionAttributeValues: { ':seen': seenSendCount, ':status': seen.status },
      }),
    );
  }

  async settle(transaction: Transaction): Promise<Transaction> {
    const settled = { ...transaction, response: transactionResponse(transaction) };
    const written = await sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        // Only a begun (pending) attempt is ever settled.
        Item: toItem(settled, this.events({ status: 'pending' }, settled)),
        // A settled transaction carries its answer, and is never overwritten.
        ConditionExpression: 'attribute_not_exists(#response)',
        ExpressionAttributeNames: { '#response': 'response' },
      }),
    );
    if (written) return settled;
    const winner = await this.get(transaction.storefrontId, transaction.id);
    if (!winner) throw new Error(`transaction ${transaction.id} refused a settle but cannot be read`);
    return winner;
  }

  async holdRefund(sale: Transaction, refundId: string, amount: Cents): Promise<boolean> {
    return sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.transaction(sale.storefrontId, sale.id),
        UpdateExpression: 'SET refundedCents = refundedCents + :amount, refundHolds.#refund = :amount',
        ConditionExpression:
          '#status = :approved AND refundedCents <= :limit AND attribute_not_exists(refundHolds.#refund)',
        ExpressionAttributeNames: { '#status': 'status', '#refund': refundId },
        ExpressionAttributeValues: {
          ':amount': amount,
          ':approved': 'approved',
          ':limit': sale.amount - amount,
        },
      }),
    );
  }

  async releaseRefund(sale: Pick<Transaction, 'storefrontId' | 'id'>, refundId: string): Promise<void> {
    const held = await this.refundHold(sale.storefrontId, sale.id, refundId);
    if (held === undefined) return;
    await sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.transaction(sale.storefrontId, sale.id),
        UpdateExpression: 'SET refundedCents = refundedCents - :amount REMOVE refundHolds.#refund',
        ConditionExpression: 'refundHolds.#refund = :amount',
        ExpressionAttributeNames: { '#refund': refundId },
        ExpressionAttributeValues: { ':amount': held },
      }),
    );
  }

  async refundHold(storefrontId: string, saleId: string, refundId: string): Promise<Cents | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.transaction(storefrontId, saleId),
        ProjectionExpression: 'refundHolds.#refund',
        ExpressionAttributeNames: { '#refund': refundId },
        ConsistentRead: true,
      }),
    );
    const held = (Item as { refundHolds?: Record<string, number> } | undefined)?.refundHolds?.[refundId];
    return held === undefined ? undefined : cents(held);
  }

  async list(query: TransactionQuery): Promise<TransactionPage> {
    const { indexName, partitionKey, partitionValue } = timelineOf(query);
    const codec = await this.cursors();
    const startKey = startKeyOf(codec, query.cursor, partitionKey, partitionValue);
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':pk': partitionValue },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    let data = Items.map(fromItem);
    if (query.subscriptionId && query.customerId)
      data = data.filter((t) => t.customerId === query.customerId);
    return { data, nextCursor: codec.encode(LastEvaluatedKey) };
  }

  readonly pendingShards = PENDING_SHARDS;

  async listPending(shard: number, sentBefore: string, cursor?: PendingPage['next']): Promise<PendingPage> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'pendingTransactions',
        KeyConditionExpression: 'pendingPk = :shard AND pendingSk < :before',
        ExpressionAttributeValues: { ':shard': keys.pendingShard(shard), ':before': sentBefore },
        // Small pages: each item may cost a gateway search, and the run checks its time between pages.
        Limit: PENDING_PAGE_SIZE,
        ExclusiveStartKey: cursor,
      }),
    );
    return { data: Items.map(fromItem), ...(LastEvaluatedKey ? { next: LastEvaluatedKey } : {}) };
  }
}

function timelineOf(query: TransactionQuery) {
  const { storefrontId, customerId, subscriptionId } = query;
  if (subscriptionId) {
    return {
      indexName: 'bySubscription',
      partitionKey: 'gsi3pk',
      partitionValue: keys.subscriptionTimeline(storefrontId, subscriptionId),
    };
  }
  if (customerId) {
    return {
      indexName: 'byCustomer',
      partitionKey: 'gsi2pk',
      partitionValue: keys.customerTimeline(storefrontId, customerId),
    };
  }
  return {
    indexName: 'byStorefront',
    partitionKey: 'gsi1pk',
    partitionValue: keys.storefrontTimeline(storefrontId),
  };
}
