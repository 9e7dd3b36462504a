/**
 * Transactions in DynamoDB. One item per transaction (GetItem by id); three sparse index entries give
 * the newest-first timelines of a storefront, a customer and a subscription.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Cents, cents } from '../money';
import type { TransactionPage, TransactionQuery, TransactionRepository } from '../payments/ports';
import type { Transaction } from '../payments/transaction';
import { decodeCursor, encodeCursor, isConditionFailure, readItem, sendConditional } from './dynamo';
import { keys } from './keys';

/** Stored fields of a transaction item besides its keys; amounts in cents. */
type TransactionItem = Omit<Transaction, 'amount' | 'refunded'> & {
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
};

function toItem(transaction: Transaction): TransactionItem {
  const { amount, refunded, ...rest } = transaction;
  const order = `${transaction.createdAt}#${transaction.id}`;
  const { customerId, subscriptionId, storefrontId } = transaction;
  return {
    ...rest,
    ...keys.transaction(storefrontId, transaction.id),
    amountCents: amount,
    refundedCents: refunded,
    ...(transaction.type === 'sale' ? { refundHolds: {} } : {}),
    gsi1pk: keys.storefrontTimeline(storefrontId),
    gsi1sk: order,
    ...(customerId ? { gsi2pk: keys.customerTimeline(storefrontId, customerId), gsi2sk: order } : {}),
    ...(subscriptionId
      ? { gsi3pk: keys.subscriptionTimeline(storefrontId, subscriptionId), gsi3sk: order }
      : {}),
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
    ...rest
  } = item as TransactionItem;
  return {
    ...(rest as Omit<Transaction, 'amount' | 'refunded'>),
    amount: cents(amountCents),
    refunded: cents(refundedCents),
  };
}

export class DynamoTransactionRepository implements TransactionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(storefrontId: string, transactionId: string): Promise<Transaction | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.transaction(storefrontId, transactionId));
    return Item ? fromItem(Item) : undefined;
  }

  async save(transaction: Transaction): Promise<Transaction> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(transaction),
          // A settled transaction carries its answer, and is never overwritten.
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(#response)',
          ExpressionAttributeNames: { '#response': 'response' },
        }),
      );
      return transaction;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const winner = await this.get(transaction.storefrontId, transaction.id);
      if (!winner) throw error;
      return winner;
    }
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

  async releaseRefund(sale: Transaction, refundId: string): Promise<void> {
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
    const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && startKey?.[partitionKey] !== partitionValue) {
      throw new InvalidCursorError();
    }
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
    return { data, nextCursor: encodeCursor(LastEvaluatedKey) };
  }
}

/** A cursor that is not one this query handed out (tampered, or from another list). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
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
