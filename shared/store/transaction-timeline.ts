/**
 * The newest-first timelines of transactions in DynamoDB, read by `GET /v1/transactions` only: a
 * storefront's (`byStorefront`), a customer's (`byCustomer`) and a subscription's (`bySubscription`),
 * paged with signed cursors (./cursor.ts). Apart from the repository (./transactions.ts), so that the
 * functions that never list bundle neither the cursors nor their secret.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransactionPage, TransactionQuery, TransactionTimeline } from '../payments/ports';
import type { CursorCodec } from './cursor';
import { keys } from './keys';
import { type TimelinePageQuery, timelinePage } from './timeline-page';

type TimelineOf = Pick<TimelinePageQuery, 'indexName' | 'partitionKey' | 'partitionValue'>;

import { fromItem } from './transaction-item';

export class DynamoTransactionTimeline implements TransactionTimeline {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /**
     * Signs and checks cursors. A provider, called by `list`: the signing secret is read on the first
     * list, not at cold start.
     */
    private readonly cursors: () => Promise<CursorCodec>,
  ) {}

  async list(query: TransactionQuery): Promise<TransactionPage> {
    const { items, nextCursor } = await timelinePage(this.db, this.tableName, await this.cursors(), {
      ...timelineOf(query),
      limit: query.limit,
      cursor: query.cursor,
    });
    let data = items.map(fromItem);
    if (query.subscriptionId && query.customerId)
      data = data.filter((t) => t.customerId === query.customerId);
    return { data, nextCursor };
  }
}

function timelineOf(query: TransactionQuery): TimelineOf {
  const { storefrontId, customerId, subscriptionId } = query;
  if (subscriptionId) {
    return {
      indexName: 'bySubscription',
      partitionKey: 'gsi3pk',
      partitionValue: keys.subscriptionTimeline(storefrontId, subscriptionId),
    };
  }
  if (customerId) {
    return {
      indexName: 'byCustomer',
      partitionKey: 'gsi2pk',
      partitionValue: keys.customerTimeline(storefrontId, customerId),
    };
  }
  return {
    indexName: 'byStorefront',
    partitionKey: 'gsi1pk',
    partitionValue: keys.storefrontTimeline(storefrontId),
  };
}
