/**
 * The sweep: what makes "a crash may delay an event, never lose it" true. It relays every outbox
 * entry that is due (those the stream missed, and a sale's `pending` that waited its turn) and asks
 * for every delivery attempt that is due (retries waiting longer than a queue can hold, and attempts
 * whose process died). Deployed it runs every minute; locally, every second.
 */
import type { WebhookPorts } from './ports';
import { relayOutbox } from './relay';

export interface SweepSummary {
  /** Events published from outboxes. */
  published: number;
  /** Delivery attempts asked for. */
  queued: number;
}

export async function sweep(ports: WebhookPorts): Promise<SweepSummary> {
  const now = ports.clock.now().toISOString();
  let published = 0;
  for (let shard = 0; shard < ports.outbox.shards; shard += 1) {
    for (const key of await ports.outbox.listDue(shard, now)) published += await relayOutbox(ports, key);
  }
  let queued = 0;
  for (let shard = 0; shard < ports.deliveries.shards; shard += 1) {
    const due = await ports.deliveries.listDue(shard, now);
    // The queue sends in batches of its own size.
    if (due.length > 0) await ports.queue.send(due, 0);
    queued += due.length;
  }
  return { published, queued };
}
