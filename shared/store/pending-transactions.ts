/**
 * The sparse `pendingTransactions` index in DynamoDB, read by reconciliation only: every pending sale
 * and refund, spread over `PENDING_SHARDS` partitions and sorted by when it was last sent
 * (./transaction-item.ts). Apart from the repository (./transactions.ts), so that the functions that
 * charge and refund do not bundle it.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingPage, PendingTransactions } from '../payments/ports';
import { keys } from './keys';
import { fromItem, PENDING_SHARDS } from './transaction-item';

const PENDING_PAGE_SIZE = 25;

export class DynamoPendingTransactions implements PendingTransactions {
  readonly pendingShards = PENDING_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listPending(shard: number, sentBefore: string, cursor?: PendingPage['next']): Promise<PendingPage> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'pendingTransactions',
        KeyConditionExpression: 'pendingPk = :shard AND pendingSk < :before',
        ExpressionAttributeValues: { ':shard': keys.pendingShard(shard), ':before': sentBefore },
        // Small pages: each item may cost a gateway search, and the run checks its time between pages.
        Limit: PENDING_PAGE_SIZE,
        ExclusiveStartKey: cursor,
      }),
    );
    return { data: Items.map(fromItem), ...(LastEvaluatedKey ? { next: LastEvaluatedKey } : {}) };
  }
}
