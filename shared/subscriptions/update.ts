/**
 * Changing a subscription (`PATCH /v1/subscriptions/{id}`): its card, amount or description. A new amount
 * applies from the next charge (one in flight keeps the amount it was sent with). A new card on a
 * `past_due` or `unpaid` subscription makes it due at once: `past_due` until that charge succeeds, with
 * its failures counted afresh (contract: Routes).
 */
import { NotFoundError, UnprocessableRequestError } from '../http/errors';
import type { Cents } from '../money';
import { requireActiveCard } from '../payments/card';
import type { IdempotentOperation } from '../payments/idempotent-operation';
import type { PaymentsPorts } from '../payments/ports';
import type { SubscriptionRepository } from './ports';
import { addInterval } from './schedule';
import { attemptNumber, type Subscription, toSubscriptionResource } from './subscription';

export interface SubscriptionChanges {
  cardId?: string;
  amount?: Cents;
  description?: string;
}

type Ports = Pick<PaymentsPorts, 'cards' | 'clock'> & { subscriptions: SubscriptionRepository };

/** How often the change is computed again on a fresh read when the subscription changed meanwhile. */
const ATTEMPTS = 5;

/** The write kept losing to other changes of the same subscription (a busy recurring run): retry later. */
export class SubscriptionBusyError extends Error {
  override readonly name = 'SubscriptionBusyError';
}

/**
 * `subscription` with `changes` applied at `now`; `undefined` when they change nothing (so a PATCH
 * repeated after a crash, or one that sets what is already there, writes nothing and sends no event).
 */
export function changed(
  subscription: Subscription,
  changes: SubscriptionChanges,
  now: Date,
): Subscription | undefined {
  const cardId = changes.cardId ?? subscription.cardId;
  const amount = changes.amount ?? subscription.amount;
  const description = changes.description ?? subscription.description;
  const newCard = cardId !== subscription.cardId;
  if (!newCard && amount === subscription.amount && description === subscription.description)
    return undefined;
  const next: Subscription = { ...subscription, cardId, amount, description };
  if (!newCard || (subscription.status !== 'past_due' && subscription.status !== 'unpaid')) return next;
  const at = now.toISOString();
  const current = subscription.status === 'unpaid' ? currentPeriodStart(subscription, now) : undefined;
  if (current !== undefined && current !== subscription.periodStart) {
    // An unpaid subscription was given up on: the periods it was not paid for are not billed now, one
    // run after another. The new card pays the period under way; its attempts are numbered from zero.
    return {
      ...next,
      status: 'past_due',
      periodStart: current,
      nextChargeAt: at,
      failedAttempts: 0,
      attemptsBefore: 0,
      retriesFrom: at,
    };
  }
  // Due at once on the new card. Attempts keep their numbers (./worker.ts `chargeTransactionId`): the
  // first one on the new card is the attempt that was next, never an earlier, declined one's invoice.
  return {
    ...next,
    status: 'past_due',
    nextChargeAt: at,
    failedAttempts: 0,
    attemptsBefore: attemptNumber(subscription),
    retriesFrom: at,
  };
}

/** ISO start of the subscription's period that contains `now` (its own, when `now` is still in it). */
function currentPeriodStart(subscription: Subscription, now: Date): string {
  const { interval, intervalCount, anchorDay } = subscription;
  let start = new Date(subscription.periodStart);
  for (;;) {
    const next = addInterval(start, interval, intervalCount, anchorDay);
    if (next > now) return start.toISOString();
    start = next;
  }
}

/**
 * The PATCH, run under its Idempotency-Key (`idempotentResult(..., 'sub', operation)`): 200 with the
 * subscription. A canceled subscription cannot be changed: 422, as for any change the resource's state
 * does not allow (Stripe answers the same request with an `invalid_request_error`; 409 is this API's
 * answer for an Idempotency-Key in use only). The card must be an active card of the subscription's
 * customer (404 `cardId` otherwise).
 */
export function updateSubscription(
  ports: Ports,
  storefrontId: string,
  subscriptionId: string,
  changes: SubscriptionChanges,
): IdempotentOperation {
  return {
    run: async () => {
      const updated = await apply(ports, storefrontId, subscriptionId, changes);
      return { response: { statusCode: 200, body: JSON.stringify(toSubscriptionResource(updated)) } };
    },
  };
}

async function apply(
  ports: Ports,
  storefrontId: string,
  subscriptionId: string,
  changes: SubscriptionChanges,
): Promise<Subscription> {
  let cardChecked = false;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const current = await ports.subscriptions.get(storefrontId, subscriptionId);
    if (!current) throw new NotFoundError('subscription', 'subscriptionId');
    if (current.status === 'canceled') {
      throw new UnprocessableRequestError(
        'subscription_canceled',
        'A canceled subscription cannot be changed; create a new one',
        'subscriptionId',
      );
    }
    if (changes.cardId !== undefined && !cardChecked) {
      await requireActiveCard(ports.cards, storefrontId, current.customerId, changes.cardId);
      cardChecked = true;
    }
    const next = changed(current, changes, ports.clock.now());
    if (!next) return current;
    if (await ports.subscriptions.update(current, next)) return next;
  }
  throw new SubscriptionBusyError(`subscription ${subscriptionId} kept changing under a PATCH`);
}
