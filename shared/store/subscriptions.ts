/**
 * Subscriptions in DynamoDB: one item per subscription. A chargeable one (active or past_due) also
 * carries `duePk`/`dueSk`, its entry in the sparse `dueSubscriptions` index: `duePk` is one of
 * `DUE_SHARDS` partitions picked by a hash of the id (so a million subscriptions due at the same
 * second do not all land on one hot partition), `dueSk` is `nextChargeAt`. Canceling or giving up
 * removes the entry, so the scheduled run only ever reads what it may charge.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cents } from '../money';
import type { ChargeMessage, DueCursor, DuePage, SubscriptionRepository } from '../subscriptions/ports';
import { type ChargeState, isChargeable, type Subscription } from '../subscriptions/subscription';
import { isConditionFailure, readItem, sendConditional } from './dynamo';
import { keys } from './keys';

/** Partitions of the due index. Changing it requires rewriting every chargeable item's `duePk`. */
export const DUE_SHARDS = 8;

type SubscriptionItem = Omit<Subscription, 'amount'> & {
  pk: string;
  sk: string;
  amountCents: number;
  duePk?: string;
  dueSk?: string;
};

/** The due-index partition a subscription lives in: stable, and uniform over the shards. */
export function dueShardOf(subscriptionId: string, shards = DUE_SHARDS): number {
  return createHash('sha256').update(subscriptionId).digest().readUInt32BE(0) % shards;
}

function dueEntry(subscriptionId: string, nextChargeAt: string) {
  return { duePk: keys.dueShard(dueShardOf(subscriptionId)), dueSk: nextChargeAt };
}

function toItem(subscription: Subscription): SubscriptionItem {
  const { amount, ...rest } = subscription;
  return {
    ...rest,
    ...keys.subscription(subscription.storefrontId, subscription.id),
    amountCents: amount,
    ...(isChargeable(subscription.status) ? dueEntry(subscription.id, subscription.nextChargeAt) : {}),
  };
}

function fromItem(item: Record<string, unknown>): Subscription {
  const { pk: _pk, sk: _sk, duePk: _duePk, dueSk: _dueSk, amountCents, ...rest } = item as SubscriptionItem;
  return { ...(rest as Omit<Subscription, 'amount'>), amount: cents(amountCents) };
}

export class DynamoSubscriptionRepository implements SubscriptionRepository {
  readonly dueShards = DUE_SHARDS;

  /** `duePageSize` limits each due-index page (tests use it to exercise paging); default 1 MB pages. */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly duePageSize?: number,
  ) {}

  async create(subscription: Subscription): Promise<void> {
    await sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(subscription),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(storefrontId: string, subscriptionId: string): Promise<Subscription | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.subscription(storefrontId, subscriptionId));
    return Item ? fromItem(Item) : undefined;
  }

  async cancel(storefrontId: string, subscriptionId: string, at: string): Promise<Subscription | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.subscription(storefrontId, subscriptionId),
          UpdateExpression: 'SET #status = :canceled, canceledAt = :at REMOVE duePk, dueSk',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :canceled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':canceled': 'canceled', ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromItem(Attributes) : this.get(storefrontId, subscriptionId);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.get(storefrontId, subscriptionId);
    }
  }

  async transition(seen: Subscription, next: ChargeState): Promise<boolean> {
    const chargeable = isChargeable(next.status);
    const values: Record<string, unknown> = {
      ':status': next.status,
      ':periodStart': next.periodStart,
      ':nextChargeAt': next.nextChargeAt,
      ':failedAttempts': next.failedAttempts,
      ':active': 'active',
      ':pastDue': 'past_due',
      ':seenPeriod': seen.periodStart,
      ':seenAttempts': seen.failedAttempts,
    };
    const sets = [
      '#status = :status',
      'periodStart = :periodStart',
      'nextChargeAt = :nextChargeAt',
      'failedAttempts = :failedAttempts',
    ];
    if (next.lastTransactionId !== undefined) {
      sets.push('lastTransactionId = :lastTransactionId');
      values[':lastTransactionId'] = next.lastTransactionId;
    }
    if (chargeable) {
      const entry = dueEntry(seen.id, next.nextChargeAt);
      sets.push('duePk = :duePk', 'dueSk = :dueSk');
      Object.assign(values, { ':duePk': entry.duePk, ':dueSk': entry.dueSk });
    }
    return sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscription(seen.storefrontId, seen.id),
        UpdateExpression: `SET ${sets.join(', ')}${chargeable ? '' : ' REMOVE duePk, dueSk'}`,
        ConditionExpression:
          '#status IN (:active, :pastDue) AND periodStart = :seenPeriod AND failedAttempts = :seenAttempts',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async listDue(shard: number, until: string, cursor?: DueCursor): Promise<DuePage> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'dueSubscriptions',
        KeyConditionExpression: 'duePk = :shard AND dueSk <= :until',
        ExpressionAttributeNames: {
          '#storefrontId': 'storefrontId',
          '#id': 'id',
          '#periodStart': 'periodStart',
          '#failedAttempts': 'failedAttempts',
        },
        ExpressionAttributeValues: { ':shard': keys.dueShard(shard), ':until': until },
        ProjectionExpression: '#storefrontId, #id, #periodStart, #failedAttempts',
        ExclusiveStartKey: cursor as Record<string, unknown> | undefined,
        Limit: this.duePageSize,
      }),
    );
    const charges = Items.map(
      (item): ChargeMessage => ({
        storefrontId: item.storefrontId as string,
        subscriptionId: item.id as string,
        periodStart: item.periodStart as string,
        attempt: item.failedAttempts as number,
      }),
    );
    return LastEvaluatedKey ? { charges, next: LastEvaluatedKey } : { charges };
  }
}
