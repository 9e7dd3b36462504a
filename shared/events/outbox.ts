/**
 * The outbox: events not yet published, kept on the very item whose change they describe and written
 * by the same conditional write as that change (docs/events.md). A write that changes state can
 * therefore never succeed without its event, and a crash after it only delays the event: the item sits
 * in the sparse `work` index (partition `OUTBOX#<shard>`) until the relay has published every entry.
 */
import { randomIds } from '../ids';
import { shardOf } from '../store/shards';
import type { EventObject, EventType, StoredEvent } from './event';

export interface OutboxEntry extends StoredEvent {
  /** ISO time before which the entry is not published (a sale's `pending` waits for its request to end). */
  notBefore: string;
}

/** Partitions of the outbox in the `work` index. Changing it requires rewriting every item's `workPk`. */
export const OUTBOX_SHARDS = 8;

export function outboxShardOf(pk: string): number {
  return shardOf(pk, OUTBOX_SHARDS);
}

export const outboxPartition = (shard: number): string => `OUTBOX#${shard}`;

/** A new event for `object`, published from `notBefore` on (default: at once). */
export function outboxEntry(
  type: EventType,
  storefrontId: string,
  object: EventObject,
  at: Date,
  notBefore: Date = at,
): OutboxEntry {
  return {
    id: randomIds.next('evt'),
    storefrontId,
    type,
    createdAt: at.toISOString(),
    notBefore: notBefore.toISOString(),
    object,
  };
}

/** The item attributes for an outbox holding `entries`: the list, and the index entry while it is not empty. */
export interface OutboxAttributes {
  outbox?: OutboxEntry[];
  workPk?: string;
  workSk?: string;
}

/** The earliest time any entry may be published: the index sorts by it. */
export function outboxIndexEntry(pk: string, entries: readonly OutboxEntry[]) {
  const first = entries.map((entry) => entry.notBefore).sort()[0];
  return { workPk: outboxPartition(outboxShardOf(pk)), workSk: `${first}#${pk}` };
}

/** For a `PutItem`: the whole outbox. Empty, the item has no outbox and is not in the index. */
export function outboxAttributes(pk: string, entries: readonly OutboxEntry[]): OutboxAttributes {
  if (entries.length === 0) return {};
  return { outbox: [...entries], ...outboxIndexEntry(pk, entries) };
}

/**
 * For an `UpdateItem`: clauses appending `entries` to whatever the outbox holds. The index entry is
 * set to the new entries' time; the relay sets it again from everything left after it published.
 */
export function outboxAppend(pk: string, entries: readonly OutboxEntry[]) {
  const { workPk, workSk } = outboxIndexEntry(pk, entries);
  return {
    clauses: [
      'outbox = list_append(if_not_exists(outbox, :outboxNone), :outboxNew)',
      'workPk = :workPk',
      'workSk = :workSk',
    ],
    values: { ':outboxNone': [], ':outboxNew': [...entries], ':workPk': workPk, ':workSk': workSk },
  };
}
