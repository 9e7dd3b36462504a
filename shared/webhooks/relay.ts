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

/**
 * The endpoints of each storefront, as read once in one relay run. A run that relays many items of one
 * storefront reads its list once, not once per item. It lives as long as the run and no longer: an
 * endpoint registered since is seen by the next run, as it was when each item read the list.
 */
export type EndpointLists = Map<string, readonly WebhookEndpoint[]>;

async function endpointsOf(
  ports: RelayPorts,
  lists: EndpointLists,
  storefrontId: string,
): Promise<readonly WebhookEndpoint[]> {
  const known = lists.get(storefrontId);
  if (known !== undefined) return known;
  const endpoints = await ports.endpoints.list(storefrontId);
  lists.set(storefrontId, endpoints);
  return endpoints;
}

/**
 * Publishes the item's due entries; returns how many it published. `lists` is the run's endpoints, when
 * the item is one of several relayed together (see `relayOutboxes`).
 */
export async function relayOutbox(
  ports: RelayPorts,
  key: ItemKey,
  lists: EndpointLists = new Map(),
): Promise<number> {
  for (let race = 0; race < MAX_RACES; race += 1) {
    const entries = await ports.outbox.read(key);
    const now = ports.clock.now().toISOString();
    const due = entries.filter((entry) => entry.notBefore <= now);
    if (due.length === 0) return 0;
    // One item's entries are all of one storefront: its endpoints are read once.
    const endpoints = await endpointsOf(ports, lists, due[0]?.storefrontId ?? '');
    for (const entry of due) await publish(ports, entry, endpoints);
    const removed = await ports.outbox.remove(key, entries, new Set(due.map((entry) => entry.id)));
    if (removed) return due.length;
  }
  return 0;
}

/**
 * Publishes the due entries of every item, one item after the other, reading each storefront's
 * endpoints once for the whole run; returns how many it published.
 */
export async function relayOutboxes(ports: RelayPorts, keys: readonly ItemKey[]): Promise<number> {
  const lists: EndpointLists = new Map();
  let published = 0;
  for (const key of keys) published += await relayOutbox(ports, key, lists);
  return published;
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
