/**
 * The relay: publishes the due entries of one item's outbox. For each entry it records the event with
 * the endpoints that want it and creates one delivery per endpoint, then takes the entries out of the
 * outbox. Every step is idempotent, so a relay that dies halfway and runs again (from the stream, or
 * from the sweep) publishes nothing twice and loses nothing: at worst an endpoint is asked twice.
 */
import type { OutboxEntry } from '../events/outbox';
import type { DeliveryRef } from './delivery';
import { type WebhookEndpoint, wantsEvent } from './endpoint';
import type { ItemKey, WebhookPorts } from './ports';

/** Reads that find the outbox changed under us before the item is left to the next run. */
const MAX_RACES = 3;

type RelayPorts = Pick<WebhookPorts, 'outbox' | 'events' | 'endpoints' | 'deliveries' | 'queue' | 'clock'>;

/** Publishes the item's due entries; returns how many it published. */
export async function relayOutbox(ports: RelayPorts, key: ItemKey): Promise<number> {
  for (let race = 0; race < MAX_RACES; race += 1) {
    const entries = await ports.outbox.read(key);
    const now = ports.clock.now().toISOString();
    const due = entries.filter((entry) => entry.notBefore <= now);
    if (due.length === 0) return 0;
    // One item's entries are all of one storefront: its endpoints are read once.
    const endpoints = await ports.endpoints.list(due[0]?.storefrontId ?? '');
    for (const entry of due) await publish(ports, entry, endpoints);
    const removed = await ports.outbox.remove(key, entries, new Set(due.map((entry) => entry.id)));
    if (removed) return due.length;
  }
  return 0;
}

/** Records one event and its deliveries, and asks for their first attempts at once. */
export async function publish(
  ports: RelayPorts,
  entry: OutboxEntry,
  endpoints?: readonly WebhookEndpoint[],
): Promise<void> {
  const { notBefore: _notBefore, ...event } = entry;
  endpoints ??= await ports.endpoints.list(event.storefrontId);
  const wanted = endpoints.filter((endpoint) => wantsEvent(endpoint, event.type)).map((e) => e.id);
  const targets = await ports.events.record(event, wanted);
  const now = ports.clock.now().toISOString();
  const created: DeliveryRef[] = [];
  for (const endpointId of targets) {
    const ref = { storefrontId: event.storefrontId, eventId: event.id, endpointId };
    const isNew = await ports.deliveries.create({
      ...ref,
      status: 'scheduled',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: event.createdAt,
    });
    if (isNew) created.push(ref);
  }
  // Only a fast path: were this lost, the sweep finds the deliveries due in the index.
  if (created.length > 0) await ports.queue.send(created, 0).catch(() => undefined);
}
