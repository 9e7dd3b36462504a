/**
 * Subscriptions in DynamoDB: one item per subscription (./subscription-item.ts), in the storefront's and
 * the customer's lists and, while chargeable, in the sparse `dueSubscriptions` index. Canceling or giving
 * up removes the due entry, so the scheduled run only ever reads what it may charge.
 *
 * Every change is read, computed in memory, and written by one UpdateItem conditioned on the state read
 * and carrying the change's event (the outbox): no change is lost to another made at the same time, and
 * the event shows the subscription exactly as the change left it.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { subscriptionEvent } from '../events/derive';
import { outboxAppend, outboxAttributes } from '../events/outbox';
import type {
  ChargeMessage,
  DueCursor,
  DuePage,
  SubscriptionPage,
  SubscriptionQuery,
  SubscriptionRepository,
} from '../subscriptions/ports';
import {
  applyChargeState,
  type ChargeState,
  isChargeable,
  type Subscription,
} from '../subscriptions/subscription';
import { type CursorCodec, startKeyOf } from './cursor';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';
import { changeOf, DUE_SHARDS, fromItem, toItem } from './subscription-item';

export { DUE_SHARDS, dueShardOf } from './subscription-item';

/**
 * How often a write refused because the subscription changed meanwhile is read and tried again. Only
 * writes that must happen whatever else changed (a cancel, a charge's outcome) retry.
 */
const WRITE_ATTEMPTS = 5;

/** Items a filtered list reads per query: a status filter may skip many. */
const FILTERED_PAGE_SIZE = 100;

/** The subscription kept changing under a write that must happen (a cancel): the request fails, and may be retried. */
export class SubscriptionContentionError extends Error {
  override readonly name = 'SubscriptionContentionError';
}

const noCursors = async (): Promise<CursorCodec> => {
  throw new Error('this subscription repository was built without a cursor codec, which lists need');
};

export class DynamoSubscriptionRepository implements SubscriptionRepository {
  readonly dueShards = DUE_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The time events are stamped with. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
    /** Signs and checks list cursors; called by `list` only (see DynamoTransactionTimeline). */
    private readonly cursors: () => Promise<CursorCodec> = noCursors,
    /** Limits each due-index page (tests use it to exercise paging); default 1 MB pages. */
    private readonly duePageSize?: number,
  ) {}

  async create(subscription: Subscription): Promise<void> {
    const item = toItem(subscription);
    const event = subscriptionEvent(undefined, subscription, this.clock.now());
    await sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...item, ...outboxAttributes(item.pk, [event]) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(storefrontId: string, subscriptionId: string): Promise<Subscription | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.subscription(storefrontId, subscriptionId));
    return Item ? fromItem(Item) : undefined;
  }

  async list(query: SubscriptionQuery): Promise<SubscriptionPage> {
    const timeline = timelineOf(query);
    const codec = await this.cursors();
    let startKey: Record<string, unknown> | undefined = startKeyOf(
      codec,
      query.cursor,
      timeline.partitionKey,
      timeline.partitionValue,
    );
    const filter = query.status
      ? { FilterExpression: '#status = :status', ExpressionAttributeValues: { ':status': query.status } }
      : {};
    const data: Subscription[] = [];
    let lastTaken: Record<string, unknown> | undefined;
    let more: boolean;
    // Until the page is full or the list ends: a filtered query may match few of the items it reads.
    do {
      const wanted = query.limit - data.length;
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: timeline.indexName,
          KeyConditionExpression: '#pk = :pk',
          ...filter,
          ExpressionAttributeNames: {
            '#pk': timeline.partitionKey,
            ...(query.status ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: { ':pk': timeline.partitionValue, ...filter.ExpressionAttributeValues },
          ScanIndexForward: false,
          // One more than wanted: whether anything follows is then known without a further query.
          Limit: query.status ? Math.max(wanted + 1, FILTERED_PAGE_SIZE) : wanted + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      const taken = Items.slice(0, wanted);
      data.push(...taken.map(fromItem));
      lastTaken = taken.at(-1) ?? lastTaken;
      more = taken.length < Items.length || LastEvaluatedKey !== undefined;
      startKey = LastEvaluatedKey;
    } while (data.length < query.limit && startKey);
    // The next page starts after the last subscription returned, not where the query stopped reading.
    const nextCursor = more && lastTaken ? codec.encode(keyOf(lastTaken, timeline)) : null;
    return { data, nextCursor };
  }

  async cancel(storefrontId: string, subscriptionId: string, at: string): Promise<Subscription | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.get(storefrontId, subscriptionId);
      if (!current || current.status === 'canceled') return current;
      const canceled: Subscription = { ...current, status: 'canceled', canceledAt: at };
      if (await this.write(current, canceled)) return canceled;
      if (attempt >= WRITE_ATTEMPTS) {
        throw new SubscriptionContentionError(
          `subscription ${subscriptionId} kept changing under its cancel`,
        );
      }
    }
  }

  async update(seen: Subscription, next: Subscription): Promise<boolean> {
    return this.write(seen, next);
  }

  async transition(seen: Subscription, next: ChargeState): Promise<boolean> {
    let current = seen;
    for (let attempt = 1; isChargeable(current.status); attempt += 1) {
      if (await this.write(current, applyChargeState(current, next))) return true;
      if (attempt >= WRITE_ATTEMPTS) return false;
      // Changed meanwhile: still this attempt (a PATCH of the amount, say), the outcome applies to it.
      const latest = await this.get(seen.storefrontId, seen.id);
      if (!latest || !sameAttempt(latest, seen)) return false;
      current = latest;
    }
    return false;
  }

  /** Writes `after` with its event if the item is still `seen`; `false` when it changed meanwhile. */
  private async write(seen: Subscription, after: Subscription): Promise<boolean> {
    const key = keys.subscription(seen.storefrontId, seen.id);
    const outbox = outboxAppend(key.pk, [subscriptionEvent(seen, after, this.clock.now())]);
    return sendConditional(
      this.db,
      new UpdateCommand({ TableName: this.tableName, Key: key, ...changeOf(seen, after, outbox) }),
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

/** Whether `latest` is still at the period and attempt `seen` was charged at. */
const sameAttempt = (latest: Subscription, seen: Subscription): boolean =>
  latest.periodStart === seen.periodStart &&
  latest.failedAttempts === seen.failedAttempts &&
  latest.attemptsBefore === seen.attemptsBefore;

interface Timeline {
  indexName: 'byStorefront' | 'byCustomer';
  partitionKey: 'gsi1pk' | 'gsi2pk';
  sortKey: 'gsi1sk' | 'gsi2sk';
  partitionValue: string;
}

function timelineOf({ storefrontId, customerId }: SubscriptionQuery): Timeline {
  return customerId
    ? {
        indexName: 'byCustomer',
        partitionKey: 'gsi2pk',
        sortKey: 'gsi2sk',
        partitionValue: keys.customerSubscriptions(storefrontId, customerId),
      }
    : {
        indexName: 'byStorefront',
        partitionKey: 'gsi1pk',
        sortKey: 'gsi1sk',
        partitionValue: keys.storefrontSubscriptions(storefrontId),
      };
}

/** The index key of `item`: where a query continues after it. */
function keyOf(item: Record<string, unknown>, timeline: Timeline): Record<string, unknown> {
  const { pk, sk } = item;
  return {
    pk,
    sk,
    [timeline.partitionKey]: item[timeline.partitionKey],
    [timeline.sortKey]: item[timeline.sortKey],
  };
}
