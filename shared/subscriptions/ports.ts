/**
 * What recurring charges need from the outside world besides the payments ports: the subscriptions'
 * store with its due index, and the queue that carries one message per charge from the selector to
 * the worker (SQS when deployed, an in-memory queue locally).
 */
import type { PaymentsPorts } from '../payments/ports';
import type { DunningPolicy } from './dunning';
import type { ChargeState, Subscription } from './subscription';

/**
 * One charge of one subscription: the period being charged and the attempt within it. A message that
 * no longer matches the subscription (already charged, retried, canceled) is stale and skipped.
 */
export interface ChargeMessage {
  storefrontId: string;
  subscriptionId: string;
  /** ISO start of the period being charged. */
  periodStart: string;
  /** `failedAttempts` when the charge was selected: 0 for the period's first attempt. */
  attempt: number;
}

/** Where a query of the due index stopped; opaque to callers. */
export type DueCursor = Readonly<Record<string, unknown>>;

export interface DuePage {
  charges: ChargeMessage[];
  /** Absent on the last page. */
  next?: DueCursor;
}

export interface SubscriptionRepository {
  /** Stores a new subscription; storing the same id again changes nothing. */
  create(subscription: Subscription): Promise<void>;
  get(storefrontId: string, subscriptionId: string): Promise<Subscription | undefined>;
  /**
   * Cancels it and takes it out of the due index; a canceled one is returned as it is.
   * `undefined` when there is no such subscription.
   */
  cancel(storefrontId: string, subscriptionId: string, at: string): Promise<Subscription | undefined>;
  /**
   * Applies what a charge led to, only while the subscription is still chargeable and at `seen`'s period,
   * attempt and gateway failures: a duplicate or late delivery can never apply it twice. `false` when refused.
   */
  transition(seen: Subscription, next: ChargeState): Promise<boolean>;
  /** How many partitions the due index is spread over; `listDue` is asked for each. */
  readonly dueShards: number;
  /** One page of the subscriptions of `shard` whose next charge is at or before `until` (ISO). */
  listDue(shard: number, until: string, cursor?: DueCursor): Promise<DuePage>;
}

/** Sends charges to the worker: at most 10 messages per call (SQS SendMessageBatch). */
export interface ChargeQueue {
  send(messages: readonly ChargeMessage[]): Promise<void>;
}

export interface RecurringPorts extends PaymentsPorts {
  subscriptions: SubscriptionRepository;
  dunning: DunningPolicy;
}
