/**
 * Which of `shards` partitions an item lives in, from a text of its own (its id, its key): stable, and
 * uniform over the partitions. Every sharded index (due subscriptions, pending transactions, outboxes,
 * webhook deliveries) places items this way; changing it would move every item.
 */
import { createHash } from 'node:crypto';

export function shardOf(text: string, shards: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % shards;
}
