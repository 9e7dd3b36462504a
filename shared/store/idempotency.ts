/**
 * Idempotency records in DynamoDB, one item per (storefront, key), expired by TTL after
 * IDEMPOTENCY_TTL_HOURS. A record whose transaction is left pending loses its expiry until the
 * transaction is settled or known not charged (docs/money-movement.md), so an old key can never start a
 * second sale beside an unresolved one. Every state change is a conditional write on what was last
 * read, so two attempts can never both hold the lock.
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
          Item: { ...key, ...record, expiresAt: this.expiresAt() },
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
    const expiresAt = Item?.expiresAt as number | undefined;
    if (!Item || (expiresAt !== undefined && expiresAt < Math.floor(this.nowMs() / 1000))) return undefined;
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

  /**
   * Unlocks the record, only while this attempt still holds the lock (a takeover may have followed).
   * `expire` starts its time to live; otherwise it is kept until its transaction is resolved.
   */
  async release(record: IdempotencyRecord, expire: boolean): Promise<void> {
    await sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(record.storefrontId, record.key),
        UpdateExpression: expire
          ? 'SET #state = :released, expiresAt = :expiresAt'
          : 'SET #state = :released REMOVE expiresAt',
        ConditionExpression: 'lockedUntil = :ours',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':released': 'released',
          ':ours': record.lockedUntil,
          ...(expire ? { ':expiresAt': this.expiresAt() } : {}),
        },
      }),
    );
  }

  async complete(record: IdempotencyRecord, response: StoredResponse): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(record.storefrontId, record.key),
        UpdateExpression: 'SET #response = :response, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':response': response, ':expiresAt': this.expiresAt() },
      }),
    );
  }

  async setExpiry(storefrontId: string, idempotencyKey: string, expires: boolean): Promise<void> {
    await sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(storefrontId, idempotencyKey),
        // An expiry already running is left as it is: it was started when the key's answer was known.
        ...(expires
          ? {
              UpdateExpression: 'SET expiresAt = :expiresAt',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(expiresAt)',
              ExpressionAttributeValues: { ':expiresAt': this.expiresAt() },
            }
          : { UpdateExpression: 'REMOVE expiresAt', ConditionExpression: 'attribute_exists(pk)' }),
      }),
    );
  }

  private expiresAt(): number {
    return Math.floor(this.nowMs() / 1000) + this.ttlSeconds;
  }
}
