/**
 * The Subscription: a storefront customer's recurring charge to a stored card, as stored and as shown.
 * `periodStart` is the period being charged; `nextChargeAt` is when the next attempt runs, which is the
 * period start itself or, while dunning, a retry a few days later.
 */
import { type Cents, formatAmount } from '../money';
import type { Interval } from './schedule';

export type SubscriptionStatus = 'active' | 'past_due' | 'canceled' | 'unpaid';

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
  /** Declines of the current period. */
  failedAttempts: number;
  /** The latest charge (approved or declined). */
  lastTransactionId?: string;
  createdAt: string;
  canceledAt?: string;
}

/** What a charge changes on a subscription. */
export type ChargeState = Pick<
  Subscription,
  'status' | 'periodStart' | 'nextChargeAt' | 'failedAttempts' | 'lastTransactionId'
>;

/** Only these are charged (and listed in the due index). */
export const isChargeable = (status: SubscriptionStatus): boolean =>
  status === 'active' || status === 'past_due';

/** The public representation (contract: Resources > Subscription). */
export interface SubscriptionResource {
  id: string;
  status: SubscriptionStatus;
  customerId: string;
  cardId: string;
  amount: string;
  currency: 'USD';
  interval: Interval;
  intervalCount: number;
  description: string | null;
  /** `null` once nothing will be charged again (canceled or unpaid). */
  nextChargeAt: string | null;
  failedAttempts: number;
  createdAt: string;
  canceledAt: string | null;
}

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
    createdAt: subscription.createdAt,
    canceledAt: subscription.canceledAt ?? null,
  };
}
