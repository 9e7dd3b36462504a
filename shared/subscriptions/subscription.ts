/**
 * The Subscription: a storefront customer's recurring charge to a stored card, as stored and as shown.
 * `periodStart` is the period being charged; `nextChargeAt` is when the next attempt runs, which is the
 * period start itself or, while dunning, a retry a few days later.
 */

import type { subscriptionSchema } from '../http/schemas/subscription';
import { type Cents, formatAmount } from '../money';
import type * as z from '../zod';
import type { SubscriptionFailure } from './failure';
import type { Interval } from './schedule';

/** Every status. The type is derived from the list, so that it and the API's enum (made from it) agree. */
export const subscriptionStatuses = ['active', 'past_due', 'canceled', 'unpaid'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export interface Subscription {
  id: string;
  storefrontId: string;
  status: SubscriptionStatus;
  customerId: string;
  cardId: string;
  amount: Cents;
  interval: Interval;
  intervalCount: number;
  description?: string;
  /** Day of the month periods start on (1-31), kept so that a clamped month (Feb 28) returns to it. */
  anchorDay: number;
  /** ISO start (00:00 UTC) of the period being charged: an approval advances from it. */
  periodStart: string;
  /** ISO time of the next attempt: the period start, or a dunning retry. */
  nextChargeAt: string;
  /** Declines of the current period, since failures were last counted afresh. */
  failedAttempts: number;
  /**
   * Attempts of this period made before its failures were counted afresh (a new card set while
   * `past_due` or `unpaid`). Absent: none. Kept so that no attempt reuses an earlier one's invoice.
   */
  attemptsBefore?: number;
  /** When failures were last counted afresh: retries are then scheduled from it, not from the period start. */
  retriesFrom?: string;
  /** The latest charge (approved or declined). */
  lastTransactionId?: string;
  /** Why the latest charge failed; cleared by an approval. */
  lastFailure?: SubscriptionFailure;
  createdAt: string;
  canceledAt?: string;
}

/**
 * What a charge changes on a subscription. It replaces these fields: an optional one left out is
 * removed (an approval clears `lastFailure` and starts the new period with no earlier attempts).
 */
export type ChargeState = Pick<
  Subscription,
  | 'status'
  | 'periodStart'
  | 'nextChargeAt'
  | 'failedAttempts'
  | 'attemptsBefore'
  | 'retriesFrom'
  | 'lastTransactionId'
  | 'lastFailure'
>;

/** The subscription after a charge that led to `next`. */
export function applyChargeState(subscription: Subscription, next: ChargeState): Subscription {
  const {
    attemptsBefore: _attemptsBefore,
    retriesFrom: _retriesFrom,
    lastTransactionId: _lastTransactionId,
    lastFailure: _lastFailure,
    ...kept
  } = subscription;
  return { ...kept, ...next };
}

/**
 * The number of the current attempt within its period, counted from the period's first attempt (0)
 * whatever was counted afresh since: what a charge's invoice is derived from.
 */
export const attemptNumber = (subscription: Subscription): number =>
  (subscription.attemptsBefore ?? 0) + subscription.failedAttempts;

/** Only these are charged (and listed in the due index). */
export const isChargeable = (status: SubscriptionStatus): boolean =>
  status === 'active' || status === 'past_due';

/** The public representation (contract: Resources > Subscription), as its schema says. */
export type SubscriptionResource = z.infer<typeof subscriptionSchema>;

export function toSubscriptionResource(subscription: Subscription): SubscriptionResource {
  return {
    id: subscription.id,
    status: subscription.status,
    customerId: subscription.customerId,
    cardId: subscription.cardId,
    amount: formatAmount(subscription.amount),
    currency: 'USD',
    interval: subscription.interval,
    intervalCount: subscription.intervalCount,
    description: subscription.description ?? null,
    nextChargeAt: isChargeable(subscription.status) ? subscription.nextChargeAt : null,
    failedAttempts: subscription.failedAttempts,
    lastFailure: subscription.lastFailure ?? null,
    createdAt: subscription.createdAt,
    canceledAt: subscription.canceledAt ?? null,
  };
}
