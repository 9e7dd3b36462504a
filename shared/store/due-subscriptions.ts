/**
 * The sparse `dueSubscriptions` index in DynamoDB, read by the recurring run's selector only: every
 * chargeable subscription, spread over `DUE_SHARDS` partitions and sorted by its next charge
 * (./subscription-item.ts). Apart from the repository (./subscriptions.ts), so that the API and the
 * worker do not bundle it, nor the selector anything that writes.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ChargeMessage, DueCursor, DuePage, DueSubscriptions } from '../subscriptions/ports';
import { keys } from './keys';
import { DUE_SHARDS } from './subscription-item';

export class DynamoDueSubscriptions implements DueSubscriptions {
  readonly dueShards = DUE_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Limits each page (tests use it to exercise paging); default 1 MB pages. */
    private readonly pageSize?: number,
  ) {}

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
          '#attemptsBefore': 'attemptsBefore',
        },
        ExpressionAttributeValues: { ':shard': keys.dueShard(shard), ':until': until },
        ProjectionExpression: '#storefrontId, #id, #periodStart, #failedAttempts, #attemptsBefore',
        ExclusiveStartKey: cursor as Record<string, unknown> | undefined,
        Limit: this.pageSize,
      }),
    );
    const charges = Items.map(
      (item): ChargeMessage => ({
        storefrontId: item.storefrontId as string,
        subscriptionId: item.id as string,
        periodStart: item.periodStart as string,
        attempt: ((item.attemptsBefore as number | undefined) ?? 0) + (item.failedAttempts as number),
      }),
    );
    return LastEvaluatedKey ? { charges, next: LastEvaluatedKey } : { charges };
  }
}
