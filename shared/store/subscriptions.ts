/**
 * Subscriptions in DynamoDB as the API keeps them (create, get, list, update, cancel): one item per
 * subscription (./subscription-item.ts), in the storefront's and the customer's lists, paged with signed
 * cursors, and while chargeable in the sparse `dueSubscriptions` index. Canceling or giving up removes
 * the due entry, so the scheduled run only ever reads what it may charge. The run's side is apart, so
 * that the API bundles none of it: the due index is read by ./due-subscriptions.ts (the selector), a
 * charge's outcome written by ./subscription-billing.ts (the worker). Every change, here and there, is
 * written by the one conditional write of ./subscription-writes.ts.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { subscriptionEvent } from '../events/derive';
import { outboxAttributes } from '../events/outbox';
import type { SubscriptionPage, SubscriptionQuery, SubscriptionRepository } from '../subscriptions/ports';
import type { Subscription } from '../subscriptions/subscription';
import { type CursorCodec, startKeyOf } from './cursor';
import { sendConditional } from './dynamo';
import { keys } from './keys';
import { fromItem, toItem } from './subscription-item';
import { readSubscription, WRITE_ATTEMPTS, writeChange } from './subscription-writes';

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
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The time events are stamped with. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
    /** Signs and checks list cursors; called by `list` only (see DynamoTransactionTimeline). */
    private readonly cursors: () => Promise<CursorCodec> = noCursors,
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
    return readSubscription(this.db, this.tableName, storefrontId, subscriptionId);
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

  /** Writes `after` with its event if the item is still `seen`; `false` when it changed meanwhile. */
  private async write(seen: Subscription, after: Subscription): Promise<boolean> {
    return writeChange(this.db, this.tableName, seen, after, this.clock.now());
  }
}

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
