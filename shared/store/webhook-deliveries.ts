/**
 * Webhook deliveries in DynamoDB: one item per (event, endpoint) in the event's partition. A scheduled
 * one sits in the `work` index (`WEBHOOK#<shard>`, sorted by its next attempt), which is where the sweep
 * finds attempts that are due; delivered, failed and canceled ones leave it. Kept as long as the event.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Delivery, DeliveryRef } from '../webhooks/delivery';
import type { DeliveryStore } from '../webhooks/ports';
import { readItem, sendConditional } from './dynamo';
import { eventExpiry } from './events';
import { keys } from './keys';
import { shardOf } from './shards';

/** Partitions of the deliveries in the `work` index. */
export const WEBHOOK_SHARDS = 8;

const DUE_PAGE_SIZE = 100;

const deliveryShardOf = (ref: DeliveryRef): number =>
  shardOf(`${ref.eventId}#${ref.endpointId}`, WEBHOOK_SHARDS);

function toItem(delivery: Delivery): Record<string, unknown> {
  const key = keys.delivery(delivery.storefrontId, delivery.eventId, delivery.endpointId);
  return {
    ...delivery,
    ...key,
    expiresAt: eventExpiry(delivery.createdAt),
    ...(delivery.status === 'scheduled'
      ? {
          workPk: keys.webhookShard(deliveryShardOf(delivery)),
          workSk: `${delivery.nextAttemptAt}#${key.pk}`,
        }
      : {}),
  };
}

function fromItem(item: Record<string, unknown>): Delivery {
  const { pk: _pk, sk: _sk, expiresAt: _e, workPk: _wp, workSk: _ws, ...delivery } = item;
  return delivery as unknown as Delivery;
}

export class DynamoDeliveryStore implements DeliveryStore {
  readonly shards = WEBHOOK_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(delivery: Delivery): Promise<boolean> {
    return sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(delivery),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(ref: DeliveryRef): Promise<Delivery | undefined> {
    const item = await readItem(
      this.db,
      this.tableName,
      keys.delivery(ref.storefrontId, ref.eventId, ref.endpointId),
    );
    return item ? fromItem(item) : undefined;
  }

  async listDue(shard: number, now: string): Promise<DeliveryRef[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'work',
        KeyConditionExpression: 'workPk = :shard AND workSk <= :due',
        ExpressionAttributeValues: { ':shard': keys.webhookShard(shard), ':due': `${now}#~` },
        ProjectionExpression: 'storefrontId, eventId, endpointId',
        Limit: DUE_PAGE_SIZE,
      }),
    );
    return Items.map((item) => ({
      storefrontId: item.storefrontId as string,
      eventId: item.eventId as string,
      endpointId: item.endpointId as string,
    }));
  }

  async update(seen: Pick<Delivery, 'attempts'>, next: Delivery): Promise<boolean> {
    return sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(next),
        ConditionExpression: '#status = :scheduled AND attempts = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':scheduled': 'scheduled', ':seen': seen.attempts },
      }),
    );
  }
}
