/**
 * Every key of the single table, built in one place. Each storefront's items live under keys that start
 * with its id, so a request for another storefront's id simply finds nothing (404).
 * See docs/data-model.md for the access patterns.
 */

export const keys = {
  storefront: (storefrontId: string) => ({ pk: `SF#${storefrontId}`, sk: 'PROFILE' }),
  storefrontApiKey: (storefrontId: string, keyId: string) => ({
    pk: `SF#${storefrontId}`,
    sk: `KEY#${keyId}`,
  }),
  apiKeyHash: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }),
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
