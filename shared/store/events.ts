/**
 * Events in DynamoDB: one item per event, kept 30 days (TTL), in two newest-first timelines of the
 * generic indexes: all of a storefront's events (`byStorefront`), and those of one type (`byCustomer`,
 * whose slot they reuse). The item also keeps the endpoints the event was first published to.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_RETENTION_DAYS, type EventType, type StoredEvent } from '../events/event';
import type { EventPage, EventStore } from '../webhooks/ports';
import type { CursorCodec } from './cursor';
import { isConditionFailure, readItem } from './dynamo';
import { keys } from './keys';
import { type TimelinePageQuery, timelinePage } from './timeline-page';

interface EventItem extends StoredEvent {
  pk: string;
  sk: string;
  endpointIds: string[];
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk: string;
  gsi2sk: string;
  expiresAt: number;
}

const fromItem = (item: Record<string, unknown>): StoredEvent => {
  const { id, storefrontId, type, createdAt, object } = item as unknown as EventItem;
  return { id, storefrontId, type, createdAt, object };
};

/** Epoch seconds when an event created at `createdAt` may be deleted. */
export const eventExpiry = (createdAt: string): number =>
  Math.floor(Date.parse(createdAt) / 1000) + EVENT_RETENTION_DAYS * 86_400;

export class DynamoEventStore implements EventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Signs and checks list cursors; called by `list` only. */
    private readonly cursors: () => Promise<CursorCodec>,
    /** What "30 days old" is measured against. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  async record(event: StoredEvent, endpointIds: readonly string[]): Promise<string[]> {
    const order = `${event.createdAt}#${event.id}`;
    const item: EventItem = {
      ...keys.event(event.storefrontId, event.id),
      id: event.id,
      storefrontId: event.storefrontId,
      type: event.type,
      createdAt: event.createdAt,
      object: event.object,
      endpointIds: [...endpointIds],
      gsi1pk: keys.eventTimeline(event.storefrontId),
      gsi1sk: order,
      gsi2pk: keys.eventTypeTimeline(event.storefrontId, event.type),
      gsi2sk: order,
      expiresAt: eventExpiry(event.createdAt),
    };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return [...endpointIds];
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await readItem(this.db, this.tableName, keys.event(event.storefrontId, event.id));
      return ((stored as EventItem | undefined)?.endpointIds ?? []).slice();
    }
  }

  async get(storefrontId: string, eventId: string): Promise<StoredEvent | undefined> {
    const item = await readItem(this.db, this.tableName, keys.event(storefrontId, eventId));
    // DynamoDB deletes expired items within days, not at once: an expired one is already gone.
    if (!item || (item as EventItem).expiresAt <= this.nowSeconds()) return undefined;
    return fromItem(item);
  }

  async list(query: {
    storefrontId: string;
    type?: EventType;
    limit: number;
    cursor?: string;
  }): Promise<EventPage> {
    const timeline: Pick<TimelinePageQuery, 'indexName' | 'partitionKey' | 'partitionValue'> = query.type
      ? {
          indexName: 'byCustomer',
          partitionKey: 'gsi2pk',
          partitionValue: keys.eventTypeTimeline(query.storefrontId, query.type),
        }
      : {
          indexName: 'byStorefront',
          partitionKey: 'gsi1pk',
          partitionValue: keys.eventTimeline(query.storefrontId),
        };
    const { items, nextCursor } = await timelinePage(this.db, this.tableName, await this.cursors(), {
      ...timeline,
      limit: query.limit,
      cursor: query.cursor,
      // Past 30 days an event is gone, even before DynamoDB's TTL deletes it (they are the oldest: last).
      filter: { expression: 'expiresAt > :now', values: { ':now': this.nowSeconds() } },
    });
    return { data: items.map(fromItem), nextCursor };
  }
}
