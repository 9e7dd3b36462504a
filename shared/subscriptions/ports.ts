/**
 * What subscriptions need from the outside world besides the payments ports: the API's store of them,
 * and for the recurring run the due index (the selector), the charges' outcomes (the worker) and the
 * queue that carries one message per charge from the one to the other (SQS when deployed, an in-memory
 * queue locally). Each function is given only the ports it uses, so that it bundles no other.
 */
import type { PaymentsPorts } from '../payments/ports';
import type { DunningPolicy } from './dunning';
import type { ChargeState, Subscription, SubscriptionStatus } from './subscription';

/**
 * One charge of one subscription: the period being charged and the attempt within it. A message that
 * no longer matches the subscription (already charged, retried, canceled) is stale and skipped.
 */
export interface ChargeMessage {
  storefrontId: string;
  subscriptionId: string;
  /** ISO start of the period being charged. */
  periodStart: string;
  /**
   * The attempt's number within the period when the charge was selected (./subscription.ts
   * `attemptNumber`: 0 for the period's first). Counted from the period's first attempt, not from the
   * failures counted afresh after a new card: a message queued before a PATCH never matches a later attempt.
   */
  attempt: number;
}

/** Where a query of the due index stopped; opaque to callers. */
export type DueCursor = Readonly<Record<string, unknown>>;

export interface DuePage {
  charges: ChargeMessage[];
  /** Absent on the last page. */
  next?: DueCursor;
}

/** `GET /v1/subscriptions`: a storefront's subscriptions, newest first, optionally of one customer or status. */
export interface SubscriptionQuery {
  storefrontId: string;
  customerId?: string;
  status?: SubscriptionStatus;
  limit: number;
  /** A `nextCursor` this same list handed out. */
  cursor?: string;
}

export interface SubscriptionPage {
  data: Subscription[];
  /** `null` when nothing follows. */
  nextCursor: string | null;
}

/**
 * Subscriptions as the API creates, reads, lists, changes and cancels them. Every change is written with
 * the event it makes (the outbox) and only onto the state it was computed from, so no change is lost to
 * another made at the same time (a PATCH, a cancel, a charge's outcome: `SubscriptionBilling`).
 */
export interface SubscriptionRepository {
  /** Stores a new subscription; storing the same id again changes nothing. */
  create(subscription: Subscription): Promise<void>;
  get(storefrontId: string, subscriptionId: string): Promise<Subscription | undefined>;
  /**
   * One page of `query.limit` subscriptions (fewer only on the last page).
   * @throws InvalidCursorError for a cursor this list did not hand out.
   */
  list(query: SubscriptionQuery): Promise<SubscriptionPage>;
  /**
   * Cancels it and takes it out of the due index; a canceled one is returned as it is.
   * `undefined` when there is no such subscription.
   */
  cancel(storefrontId: string, subscriptionId: string, at: string): Promise<Subscription | undefined>;
  /**
   * Writes `next` (a PATCH) only if the subscription is still as `seen`; `false` when it changed meanwhile.
   */
  update(seen: Subscription, next: Subscription): Promise<boolean>;
}

/**
 * Subscriptions as the recurring worker reads and moves them on, for the worker alone: what a charge led
 * to is written like every other change (with its event, onto the state it was computed from).
 */
export interface SubscriptionBilling {
  get(storefrontId: string, subscriptionId: string): Promise<Subscription | undefined>;
  /**
   * Applies what a charge led to, only while the subscription is still chargeable and at `seen`'s period
   * and attempt: a duplicate or late delivery can never apply it twice. `false` when refused.
   */
  transition(seen: Subscription, next: ChargeState): Promise<boolean>;
}

/** The subscriptions due for a charge, spread over shards, for the selector alone. */
export interface DueSubscriptions {
  /** How many partitions the due index is spread over; `listDue` is asked for each. */
  readonly dueShards: number;
  /** One page of the subscriptions of `shard` whose next charge is at or before `until` (ISO). */
  listDue(shard: number, until: string, cursor?: DueCursor): Promise<DuePage>;
}

/** Sends charges to the worker: at most 10 messages per call (SQS SendMessageBatch). */
export interface ChargeQueue {
  send(messages: readonly ChargeMessage[]): Promise<void>;
}

/**
 * What the recurring worker needs besides the payments ports: the subscriptions it charges and the
 * dunning schedule. Neither the API's repository nor the due index: the worker is never built with (nor
 * bundles) them. The selector's ports are its own (./selector.ts `SelectorPorts`).
 */
export interface RecurringPorts extends PaymentsPorts {
  billing: SubscriptionBilling;
  dunning: DunningPolicy;
}
