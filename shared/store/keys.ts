/**
 * Every key of the single table, built in one place. Each storefront's items live under keys that start
 * with its id, so a request for another storefront's id simply finds nothing (404).
 * See docs/data-model.md for the access patterns.
 */

/**
 * Partition prefixes of items that belong to no storefront's `SF#` collection. IAM grants name them
 * (`dynamodb:LeadingKeys`, infra/permissions.ts), so each is the whole first segment of its keys.
 */
export const partitionPrefixes = {
  /** Storefront API keys by hash: the only items the authorizer may read. */
  apiKeyHash: 'APIKEY#',
  /** Per-storefront request budgets: the only items read-only API functions may write. */
  rateBucket: 'RATE#',
} as const;

export const keys = {
  storefront: (storefrontId: string) => ({ pk: `SF#${storefrontId}`, sk: 'PROFILE' }),
  storefrontApiKey: (storefrontId: string, keyId: string) => ({
    pk: `SF#${storefrontId}`,
    sk: `KEY#${keyId}`,
  }),
  apiKeyHash: (hash: string) => ({ pk: `${partitionPrefixes.apiKeyHash}${hash}`, sk: 'APIKEY' }),
  /**
   * A storefront's request budget for the refill period starting at `refilledAt` (ms since the epoch):
   * one item per period, so that a refill is a new item rather than a reset of a stored count
   * (shared/store/rate-limit.ts).
   */
  rateBucket: (storefrontId: string, refilledAt: number) => ({
    pk: `${partitionPrefixes.rateBucket}${storefrontId}`,
    sk: `REFILL#${new Date(refilledAt).toISOString()}`,
  }),
  transaction: (storefrontId: string, transactionId: string) => ({
    pk: `SF#${storefrontId}#TXN#${transactionId}`,
    sk: 'TXN',
  }),
  card: (storefrontId: string, customerId: string, cardId: string) => ({
    pk: `SF#${storefrontId}#CUS#${customerId}`,
    sk: `CARD#${cardId}`,
  }),
  customerCards: (storefrontId: string, customerId: string) => `SF#${storefrontId}#CUS#${customerId}`,
  idempotency: (storefrontId: string, idempotencyKey: string) => ({
    pk: `SF#${storefrontId}#IDEM#${idempotencyKey}`,
    sk: 'IDEM',
  }),
  subscription: (storefrontId: string, subscriptionId: string) => ({
    pk: `SF#${storefrontId}#SUB#${subscriptionId}`,
    sk: 'SUB',
  }),
  event: (storefrontId: string, eventId: string) => ({ pk: `SF#${storefrontId}#EVT#${eventId}`, sk: 'EVT' }),
  /** A delivery lives in its event's partition. */
  delivery: (storefrontId: string, eventId: string, endpointId: string) => ({
    pk: `SF#${storefrontId}#EVT#${eventId}`,
    sk: `DLV#${endpointId}`,
  }),
  webhookEndpoint: (storefrontId: string, endpointId: string) => ({
    pk: `SF#${storefrontId}#WEBHOOKS`,
    sk: `WE#${endpointId}`,
  }),
  webhookEndpoints: (storefrontId: string) => `SF#${storefrontId}#WEBHOOKS`,
  /** Index partitions of a storefront's events: all of them, and those of one type. */
  eventTimeline: (storefrontId: string) => `SF#${storefrontId}#EVT`,
  eventTypeTimeline: (storefrontId: string, type: string) => `SF#${storefrontId}#EVT#${type}`,
  /** Partition `shard` of the deliveries waiting in the `work` index. */
  webhookShard: (shard: number) => `WEBHOOK#${shard}`,
  /** Partition `shard` of the due-subscriptions index (spread over shards so no one partition is hot). */
  dueShard: (shard: number) => `DUE#${shard}`,
  /** Partition `shard` of the pending-transactions index. */
  pendingShard: (shard: number) => `PENDING#${shard}`,
  /** Index partitions of the transaction timelines. */
  storefrontTimeline: (storefrontId: string) => `SF#${storefrontId}#TXN`,
  customerTimeline: (storefrontId: string, customerId: string) => `SF#${storefrontId}#CUS#${customerId}#TXN`,
  subscriptionTimeline: (storefrontId: string, subscriptionId: string) =>
    `SF#${storefrontId}#SUB#${subscriptionId}#TXN`,
  /** Index partitions of the subscription lists: a storefront's, and one customer's. */
  storefrontSubscriptions: (storefrontId: string) => `SF#${storefrontId}#SUB`,
  customerSubscriptions: (storefrontId: string, customerId: string) =>
    `SF#${storefrontId}#CUS#${customerId}#SUB`,
};
