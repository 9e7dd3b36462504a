/**
 * The single DynamoDB table's shape, read by the CDK stack and by the local runtime so both create
 * the same table. Item layouts and access patterns are documented in `docs/data-model.md`.
 */

export const tableKeys = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Epoch seconds after which DynamoDB may delete the item (idempotency records). */
export const timeToLiveAttribute = 'expiresAt';

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

/** All index keys are strings; every index projects all attributes. */
export const tableIndexes = [
  /** A storefront's transactions, newest first. */
  { name: 'byStorefront', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** A customer's transactions, newest first. */
  { name: 'byCustomer', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** A subscription's charges, newest first. */
  { name: 'bySubscription', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  /** Subscriptions that will be due, by shard and next charge time (sparse: only chargeable ones). */
  { name: 'dueSubscriptions', partitionKey: 'duePk', sortKey: 'dueSk' },
  /**
   * Sales and refunds whose gateway outcome is not known yet, by shard and the time they were last sent
   * (sparse: only pending transactions); what reconciliation reads.
   */
  { name: 'pendingTransactions', partitionKey: 'pendingPk', sortKey: 'pendingSk' },
  /**
   * Work waiting to be done, by kind and shard and the time it is due (sparse): items whose outbox holds
   * unpublished events (`OUTBOX#<shard>`), and webhook deliveries waiting for an attempt (`WEBHOOK#<shard>`).
   */
  { name: 'work', partitionKey: 'workPk', sortKey: 'workSk' },
] as const satisfies readonly IndexDefinition[];

export type IndexName = (typeof tableIndexes)[number]['name'];
