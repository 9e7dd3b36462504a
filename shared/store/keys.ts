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
  /** Partition `shard` of the due-subscriptions index (spread over shards so no one partition is hot). */
  dueShard: (shard: number) => `DUE#${shard}`,
  /** Partition `shard` of the pending-transactions index. */
  pendingShard: (shard: number) => `PENDING#${shard}`,
  /** Index partitions of the transaction timelines. */
  storefrontTimeline: (storefrontId: string) => `SF#${storefrontId}#TXN`,
  customerTimeline: (storefrontId: string, customerId: string) => `SF#${storefrontId}#CUS#${customerId}#TXN`,
  subscriptionTimeline: (storefrontId: string, subscriptionId: string) =>
    `SF#${storefrontId}#SUB#${subscriptionId}#TXN`,
};
