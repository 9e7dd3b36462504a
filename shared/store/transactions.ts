/**
 * Transactions in DynamoDB: one item per transaction (GetItem by id; ./transaction-item.ts), with its
 * entries in the timelines and, while pending, in the pending index. Every write is one of the attempt's
 * conditional transitions (docs/money-movement.md). The timelines are read by ./transaction-timeline.ts
 * (`GET /v1/transactions`), the pending index by ./pending-transactions.ts (reconciliation).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { transactionEvents } from '../events/derive';
import { type Cents, cents } from '../money';
import type { TransactionRepository } from '../payments/ports';
import type { Transaction } from '../payments/transaction';
import { transactionResponse } from '../payments/transaction-response';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';
import { fromItem, toItem } from './transaction-item';

export class DynamoTransactionRepository implements TransactionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
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
}
