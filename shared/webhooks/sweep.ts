/**
 * The sweep: what makes "a crash may delay an event, never lose it" true. It relays every outbox
 * entry that is due (those the stream missed, and a sale's `pending` that waited its turn) and asks
 * for every delivery attempt that is due (retries waiting longer than a queue can hold, and attempts
 * whose process died). Deployed it runs every minute; locally, every second.
 */
import type { ItemKey, WebhookPorts } from './ports';
import { relayOutboxes } from './relay';

export interface SweepSummary {
  /** Events published from outboxes. */
  published: number;
  /** Delivery attempts asked for. */
  queued: number;
}

export async function sweep(ports: WebhookPorts): Promise<SweepSummary> {
  const now = ports.clock.now().toISOString();
  const dueItems: ItemKey[] = [];
  for (let shard = 0; shard < ports.outbox.shards; shard += 1) {
    dueItems.push(...(await ports.outbox.listDue(shard, now)));
  }
  // One run: each storefront's endpoints are read once, however many of its items are due.
  const published = await relayOutboxes(ports, dueItems);
  let queued = 0;
  for (let shard = 0; shard < ports.deliveries.shards; shard += 1) {
    const due = await ports.deliveries.listDue(shard, now);
    // The queue sends in batches of its own size.
    if (due.length > 0) await ports.queue.send(due, 0);
    queued += due.length;
  }
  return { published, queued };
}
