/**
 * The scheduled run's first half: find every subscription due at the scheduled time and queue one
 * message per charge. Reads only the sparse due index (never a scan), each shard in parallel, page by
 * page. Running it twice queues the same charges twice, which is harmless: the worker charges each
 * (period, attempt) once. Whatever it does not reach stays due and is selected by the next run.
 */
import type { ChargeMessage, ChargeQueue, DueCursor, DueSubscriptions } from './ports';

/** SQS SendMessageBatch takes at most 10 messages. */
export const QUEUE_BATCH_SIZE = 10;

/** The due index and the queue: nothing that writes a subscription, nor the payments ports. */
export interface SelectorPorts {
  due: DueSubscriptions;
  queue: ChargeQueue;
}

export interface SelectionOptions {
  /** Asked before each page; when it answers false the run stops early and the rest waits for the next run. */
  hasTimeLeft?: () => boolean;
}

export interface Selection {
  scheduledTime: string;
  /** Charges queued. */
  due: number;
  /** False when the run stopped before reading every due subscription. */
  complete: boolean;
}

/**
 * Queues every charge due at `scheduledTime` (the scheduler's time, not the clock: a late or repeated
 * run selects exactly what was due when it should have run, plus anything still due from before).
 */
export async function selectDueCharges(
  ports: SelectorPorts,
  scheduledTime: Date,
  options: SelectionOptions = {},
): Promise<Selection> {
  const until = scheduledTime.toISOString();
  const hasTimeLeft = options.hasTimeLeft ?? (() => true);
  const shards = Array.from({ length: ports.due.dueShards }, (_, shard) => shard);
  const results = await Promise.all(shards.map((shard) => selectShard(ports, shard, until, hasTimeLeft)));
  return {
    scheduledTime: until,
    due: results.reduce((sum, result) => sum + result.due, 0),
    complete: results.every((result) => result.complete),
  };
}

async function selectShard(
  ports: SelectorPorts,
  shard: number,
  until: string,
  hasTimeLeft: () => boolean,
): Promise<{ due: number; complete: boolean }> {
  let due = 0;
  let cursor: DueCursor | undefined;
  do {
    if (!hasTimeLeft()) return { due, complete: false };
    const page = await ports.due.listDue(shard, until, cursor);
    await Promise.all(batchesOf(page.charges).map((batch) => ports.queue.send(batch)));
    due += page.charges.length;
    cursor = page.next;
  } while (cursor);
  return { due, complete: true };
}

function batchesOf(charges: ChargeMessage[]): ChargeMessage[][] {
  const batches: ChargeMessage[][] = [];
  for (let start = 0; start < charges.length; start += QUEUE_BATCH_SIZE) {
    batches.push(charges.slice(start, start + QUEUE_BATCH_SIZE));
  }
  return batches;
}
