/**
 * What publishing and delivering events need from the outside world: the outbox on the state items,
 * the events, endpoints and deliveries in DynamoDB, the endpoints' secrets, the queue that makes
 * attempts prompt (SQS deployed, in-process locally), and the HTTP POST itself.
 */
import type { EventType, StoredEvent } from '../events/event';
import type { OutboxEntry } from '../events/outbox';
import type { Clock } from '../payments/ports';
import type { Delivery, DeliveryRef } from './delivery';
import type { WebhookEndpoint } from './endpoint';
import type { WebhookAttempt } from './post';

/** The key of an item (transaction, subscription, card) whose outbox holds entries. */
export interface ItemKey {
  pk: string;
  sk: string;
}

export interface OutboxStore {
  readonly shards: number;
  /** Items of `shard` holding an entry due at or before `now` (ISO); at most one page. */
  listDue(shard: number, now: string): Promise<ItemKey[]>;
  /** The item's outbox as it is now (read consistently); empty when it has none. */
  read(key: ItemKey): Promise<OutboxEntry[]>;
  /**
   * Takes `published` out of the outbox, only while it still holds exactly `seen` (nothing appended or
   * rewritten since): `false` when it changed, and the caller reads it again.
   */
  remove(key: ItemKey, seen: readonly OutboxEntry[], published: ReadonlySet<string>): Promise<boolean>;
}

export interface EventPage {
  data: StoredEvent[];
  nextCursor: string | null;
}

export interface EventStore {
  /**
   * Stores the event with the endpoints it is for, unless it is stored already: returns the endpoints it
   * was first stored with (a relay that runs again delivers to the same endpoints, not to newer ones).
   */
  record(event: StoredEvent, endpointIds: readonly string[]): Promise<string[]>;
  get(storefrontId: string, eventId: string): Promise<StoredEvent | undefined>;
  /** Newest first; `type` narrows it. @throws InvalidCursorError for a cursor this list did not hand out. */
  list(query: { storefrontId: string; type?: EventType; limit: number; cursor?: string }): Promise<EventPage>;
}

export interface EndpointStore {
  create(endpoint: WebhookEndpoint): Promise<void>;
  get(storefrontId: string, endpointId: string): Promise<WebhookEndpoint | undefined>;
  /** Every endpoint of the storefront, newest first. */
  list(storefrontId: string): Promise<WebhookEndpoint[]>;
  /** Deletes it; the endpoint as it was, `undefined` when there was none. */
  delete(storefrontId: string, endpointId: string): Promise<WebhookEndpoint | undefined>;
  disable(storefrontId: string, endpointId: string, reason: 'gone', at: string): Promise<void>;
  /** Records when its failures began (`since`), or that it is delivered to again (`undefined`). */
  setFailingSince(storefrontId: string, endpointId: string, since: string | undefined): Promise<void>;
}

export interface DeliveryStore {
  readonly shards: number;
  /** Stores a new delivery; `false` when it exists already (a relay ran twice). */
  create(delivery: Delivery): Promise<boolean>;
  get(ref: DeliveryRef): Promise<Delivery | undefined>;
  /** Scheduled deliveries of `shard` whose next attempt is due at or before `now` (ISO); one page. */
  listDue(shard: number, now: string): Promise<DeliveryRef[]>;
  /**
   * Writes `next` over a delivery still `scheduled` at `seen.attempts`: claiming an attempt, or
   * recording its result. `false` when another process got there first.
   */
  update(seen: Pick<Delivery, 'attempts'>, next: Delivery): Promise<boolean>;
}

/** Asks for an attempt of each delivery after `delaySeconds` (at most 900, SQS's limit). */
export interface DeliveryQueue {
  send(refs: readonly DeliveryRef[], delaySeconds: number): Promise<void>;
}

export interface WebhookSecrets {
  /** Creates the secret `name` holding `value`; one that exists already (an earlier attempt's) is kept. */
  create(name: string, value: string): Promise<void>;
  read(name: string): Promise<string>;
  remove(name: string): Promise<void>;
}

export interface WebhookPorts {
  outbox: OutboxStore;
  events: EventStore;
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  queue: DeliveryQueue;
  secrets: WebhookSecrets;
  clock: Clock;
  /** POSTs one signed event (shared/webhooks/post.ts, with its timeout and address policy bound). */
  post(url: string, body: string, headers: Record<string, string>): Promise<WebhookAttempt>;
  /** Delays before each retry, in ms. */
  retrySchedule: readonly number[];
  /** Secrets Manager name of an endpoint's secret. */
  secretName(storefrontId: string, endpointId: string): string;
}
