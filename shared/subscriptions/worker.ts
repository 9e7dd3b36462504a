/**
 * Charging one due subscription, once per (period, attempt), however often its message is delivered.
 *
 * The sale is the existing `tokenSale` under `runIdempotent`, keyed by the subscription, period, attempt
 * and gateway failures: a duplicate delivery replays the recorded charge instead of charging again, and a
 * delivery after a crash between the gateway's answer and our write resumes the sale, which looks it up
 * at the gateway by invoice before ever sending it again. The subscription then moves on with a write
 * conditioned on the period and attempt it charged, so no delivery can apply a charge twice.
 */
import { IdempotencyInProgressError } from '../http/errors';
import { requestHash } from '../http/idempotency';
import { isExpired } from '../payments/card';
import type { IdempotentOperation, Outcome } from '../payments/idempotent-operation';
import { runIdempotent } from '../payments/idempotent-operation';
import { tokenSale } from '../payments/sale';
import type { Transaction } from '../payments/transaction';
import { afterApproval, afterDecline, afterGatewayFailure, isHardDecline } from './dunning';
import type { ChargeMessage, RecurringPorts } from './ports';
import { isChargeable, type Subscription } from './subscription';

export type ChargeResult =
  | { result: 'approved'; transactionId: string }
  | {
      result: 'declined';
      reason: 'card_declined' | 'card_removed' | 'card_expired';
      status: Subscription['status'];
      transactionId?: string;
    }
  | { result: 'skipped'; reason: 'missing' | 'not_chargeable' | 'stale' };

/** The charge cannot be settled now and must be delivered again later; it is never a decline. */
export class ChargeDeferredError extends Error {
  override readonly name = 'ChargeDeferredError';

  constructor(
    readonly reason: 'outcome_unknown' | 'gateway_failed' | 'in_progress',
    message: string,
  ) {
    super(message);
  }
}

const ROUTE = 'recurring charge';

/**
 * The idempotency key of the subscription's current attempt. It contains a space, which no storefront's
 * Idempotency-Key header can (visible ASCII only), so a storefront can never take it first.
 */
export function chargeKey(subscription: Subscription): string {
  const tries = subscription.gatewayFailures > 0 ? `:${subscription.gatewayFailures}` : '';
  return `recurring ${subscription.id}:${subscription.periodStart}:${subscription.failedAttempts}${tries}`;
}

/**
 * Charges the subscription `message` names if it is still due for that period and attempt.
 * @throws ChargeDeferredError when the outcome is unknown or the gateway could not take the sale.
 */
export async function chargeSubscription(
  ports: RecurringPorts,
  message: ChargeMessage,
): Promise<ChargeResult> {
  const subscription = await ports.subscriptions.get(message.storefrontId, message.subscriptionId);
  if (!subscription) return { result: 'skipped', reason: 'missing' };
  const current =
    subscription.periodStart === message.periodStart && subscription.failedAttempts === message.attempt;
  if (!isChargeable(subscription.status)) {
    if (current) await finishInFlightCharge(ports, subscription);
    return { result: 'skipped', reason: 'not_chargeable' };
  }
  if (!current) return { result: 'skipped', reason: 'stale' };
  const card = await ports.cards.get(subscription.storefrontId, subscription.customerId, subscription.cardId);
  // Refused before the gateway: retrying cannot help, and no sale is sent.
  if (card?.status !== 'active') return refuse(ports, subscription, 'card_removed');
  if (isExpired(card, ports.clock.now())) return refuse(ports, subscription, 'card_expired');

  const transaction = await charge(ports, subscription);
  // The card was removed between our read and the sale's: the sale answered 404 and sent nothing.
  if (!transaction) return refuse(ports, subscription, 'card_removed');
  return settle(ports, subscription, transaction);
}

async function settle(
  ports: RecurringPorts,
  subscription: Subscription,
  transaction: Transaction,
): Promise<ChargeResult> {
  const transactionId = transaction.id;
  switch (transaction.status) {
    case 'approved':
      await ports.subscriptions.transition(subscription, afterApproval(subscription, transactionId));
      return { result: 'approved', transactionId };
    case 'declined': {
      const hard = isHardDecline(transaction.gateway?.resultCode);
      const next = afterDecline(subscription, ports.dunning, { hard, transactionId });
      await ports.subscriptions.transition(subscription, next);
      return { result: 'declined', reason: 'card_declined', status: next.status, transactionId };
    }
    case 'pending':
      // Sent, but its outcome is unknown: the next delivery resumes the sale, which asks the gateway
      // (by invoice) what happened before sending anything again.
      throw new ChargeDeferredError('outcome_unknown', 'the gateway did not say whether it charged');
    case 'failed': {
      if (transaction.failureCode === 'gateway_rejected_request') {
        // Resending the same request cannot succeed: a failed attempt on the dunning schedule, so that
        // it ends (unpaid) instead of being retried for ever.
        const hard = isHardDecline(transaction.gateway?.resultCode);
        const next = afterDecline(subscription, ports.dunning, { hard, transactionId });
        await ports.subscriptions.transition(subscription, next);
        return { result: 'declined', reason: 'card_declined', status: next.status, transactionId };
      }
      // Unreachable or refusing our credentials: nothing was charged and it says nothing about the
      // card, so it is not a decline. The next delivery tries again under a new key (a new sale).
      await ports.subscriptions.transition(subscription, afterGatewayFailure(subscription));
      throw new ChargeDeferredError(
        'gateway_failed',
        `the gateway could not take the sale (${transaction.failureCode})`,
      );
    }
  }
}

/**
 * A subscription canceled (or made unpaid) while this attempt's sale was in flight: never start a sale,
 * but if one was started and its outcome never recorded (a crash after the gateway answered), resolve
 * it at the gateway so the charge is on record and can be refunded. The subscription stays as it is.
 */
async function finishInFlightCharge(ports: RecurringPorts, subscription: Subscription): Promise<void> {
  const started = await ports.idempotency.find(subscription.storefrontId, chargeKey(subscription));
  if (!started || started.response) return;
  const recorded = await ports.transactions.get(subscription.storefrontId, started.resourceId);
  if (recorded?.response) return;
  await charge(ports, subscription);
}

async function refuse(
  ports: RecurringPorts,
  subscription: Subscription,
  reason: 'card_removed' | 'card_expired',
): Promise<ChargeResult> {
  const next = afterDecline(subscription, ports.dunning, { hard: true });
  await ports.subscriptions.transition(subscription, next);
  return { result: 'declined', reason, status: next.status };
}

/** Runs the sale under the attempt's key; the transaction it recorded, `undefined` if it sent nothing. */
async function charge(ports: RecurringPorts, subscription: Subscription): Promise<Transaction | undefined> {
  const sale = tokenSale(ports, {
    storefrontId: subscription.storefrontId,
    amount: subscription.amount,
    customerId: subscription.customerId,
    cardId: subscription.cardId,
    subscriptionId: subscription.id,
    description: subscription.description,
  });
  let outcome: Outcome | undefined;
  const observed: IdempotentOperation = {
    start: async (id) => (outcome = await sale.start(id)),
    resume: async (id) => (outcome = await sale.resume(id)),
  };
  const fingerprint = {
    subscriptionId: subscription.id,
    periodStart: subscription.periodStart,
    attempt: subscription.failedAttempts,
    amount: subscription.amount,
    cardId: subscription.cardId,
  };
  try {
    const response = await runIdempotent(
      ports,
      {
        storefrontId: subscription.storefrontId,
        key: chargeKey(subscription),
        route: ROUTE,
        requestHash: requestHash(ROUTE, fingerprint),
        idPrefix: 'txn',
      },
      observed,
    );
    if (outcome && 'transaction' in outcome) return outcome.transaction;
    // A replay: the charge was recorded by an earlier delivery.
    return await ports.transactions.get(subscription.storefrontId, response.resourceId);
  } catch (error) {
    if (error instanceof IdempotencyInProgressError) {
      throw new ChargeDeferredError('in_progress', 'another delivery of this charge is running');
    }
    throw error;
  }
}
