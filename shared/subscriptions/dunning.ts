/**
 * What a charge does to a subscription (contract: Recurring charges). An approval moves to the next
 * period; a decline retries the same period on the dunning schedule, and after the last retry, or at
 * once on a hard decline, leaves the subscription `unpaid`. Every function here is pure: the worker
 * writes the result with a conditional update.
 */
import type { SubscriptionFailure } from './failure';
import { addDays, addInterval } from './schedule';
import type { ChargeState, Subscription } from './subscription';

export interface DunningPolicy {
  /**
   * Days after the period's first attempt when a declined charge is tried again, increasing,
   * e.g. [1, 3, 5]: retries on day 1, 3 and 5 of the period, then `unpaid`.
   */
  retryDays: readonly number[];
}

export const defaultDunningPolicy: DunningPolicy = { retryDays: [1, 3, 5] };

/**
 * Clearent result codes that retrying cannot fix (clearent-gateway.md): expired card (003, 004),
 * invalid card number (009), account not found (010), transaction not permitted (015).
 */
export const hardDeclineCodes: ReadonlySet<string> = new Set(['003', '004', '009', '010', '015']);

export const isHardDecline = (resultCode: string | undefined): boolean =>
  resultCode !== undefined && hardDeclineCodes.has(resultCode);

/** Approved: the next period starts one interval after this one's start (not after the charge). */
export function afterApproval(subscription: Subscription, transactionId: string): ChargeState {
  const next = addInterval(
    new Date(subscription.periodStart),
    subscription.interval,
    subscription.intervalCount,
    subscription.anchorDay,
  ).toISOString();
  return {
    status: 'active',
    periodStart: next,
    nextChargeAt: next,
    failedAttempts: 0,
    lastTransactionId: transactionId,
  };
}

/**
 * Declined (or refused before the gateway: card removed or expired, `hard`): `past_due` with the next
 * retry of the same period, or `unpaid` when no retry is left or retrying cannot help. Retries count
 * from the period start, or from when failures were counted afresh (a new card).
 */
export function afterDecline(
  subscription: Subscription,
  policy: DunningPolicy,
  decline: { hard: boolean; failure: SubscriptionFailure },
): ChargeState {
  const failedAttempts = subscription.failedAttempts + 1;
  const retryDay = decline.hard ? undefined : policy.retryDays[failedAttempts - 1];
  const { periodStart, attemptsBefore, retriesFrom } = subscription;
  const unchanged = {
    periodStart,
    failedAttempts,
    lastTransactionId: decline.failure.transactionId ?? subscription.lastTransactionId,
    lastFailure: decline.failure,
    ...(attemptsBefore === undefined ? {} : { attemptsBefore }),
    ...(retriesFrom === undefined ? {} : { retriesFrom }),
  };
  if (retryDay === undefined) {
    return { ...unchanged, status: 'unpaid', nextChargeAt: subscription.nextChargeAt };
  }
  const nextChargeAt = addDays(new Date(retriesFrom ?? periodStart), retryDay).toISOString();
  return { ...unchanged, status: 'past_due', nextChargeAt };
}

/**
 * The same period and failures, under the next attempt's invoice: the current attempt charged nothing
 * and was for another card or amount (./worker.ts), so it is not counted as a failure of this one.
 */
export function nextAttempt(subscription: Subscription): ChargeState {
  const { status, periodStart, nextChargeAt, failedAttempts, retriesFrom, lastTransactionId, lastFailure } =
    subscription;
  return {
    status,
    periodStart,
    nextChargeAt,
    failedAttempts,
    attemptsBefore: (subscription.attemptsBefore ?? 0) + 1,
    ...(retriesFrom === undefined ? {} : { retriesFrom }),
    ...(lastTransactionId === undefined ? {} : { lastTransactionId }),
    ...(lastFailure === undefined ? {} : { lastFailure }),
  };
}
