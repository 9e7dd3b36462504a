/**
 * Idempotency records in DynamoDB, one item per (storefront, key), expired by TTL after
 * IDEMPOTENCY_TTL_HOURS. Every state change is a conditional write on what was last read, so two
 * attempts can never both hold the lock.
 */
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyRepository } from '../payments/ports';
import type { StoredResponse } from '../payments/transaction';
import { isConditionFailure, readItem, sendConditional } from './dynamo';
import { keys } from './keys';

export class DynamoIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async claim(record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
    const key = keys.idempotency(record.storefrontId, record.key);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...record, expiresAt: Math.floor(this.nowMs() / 1000) + this.ttlSeconds },
          // An expired record DynamoDB has not yet deleted counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(this.nowMs() / 1000) },
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Gone (expired) between the refused put and this read: claim again.
    return (await this.find(record.storefrontId, record.key)) ?? this.claim(record);
  }

  async find(storefrontId: string, idempotencyKey: string): Promise<IdempotencyRecord | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.idempotency(storefrontId, idempotencyKey));
    if (!Item || (Item.expiresAt as number) < Math.floor(this.nowMs() / 1000)) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...existing } = Item;
    return existing as IdempotencyRecord;
  }

  async takeOver(seen: IdempotencyRecord, lockedUntil: number): Promise<boolean> {
    return sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(seen.storefrontId, seen.key),
        UpdateExpression: 'SET #state = :locked, lockedUntil = :lockedUntil',
        ConditionExpression: '#state = :seenState AND lockedUntil = :seenLockedUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':locked': 'locked',
          ':lockedUntil': lockedUntil,
          ':seenState': seen.state,
          ':seenLockedUntil': seen.lockedUntil,
        },
      }),
    );
  }

  /** Unlocks the record, only while this attempt still holds the lock (a takeover may have followed). */
  async release(record: IdempotencyRecord): Promise<void> {
    await sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(record.storefrontId, record.key),
        UpdateExpression: 'SET #state = :released',
        ConditionExpression: 'lockedUntil = :ours',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':released': 'released', ':ours': record.lockedUntil },
      }),
    );
  }

  async complete(record: IdempotencyRecord, response: StoredResponse): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(record.storefrontId, record.key),
        UpdateExpression: 'SET #response = :response',
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':response': response },
      }),
    );
  }
}
