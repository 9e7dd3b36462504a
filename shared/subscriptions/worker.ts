/**
 * Charging one due subscription, once per (period, attempt), however often its message is delivered.
 *
 * The charge of a (subscription, period, attempt) is one money movement with a transaction id derived
 * from those three, driven by the engine (docs/money-movement.md): every delivery of its message drives
 * the same attempt, so a duplicate delivery finds the charge recorded, a delivery after a crash or a 5xx
 * resolves it under its own invoice before anything is sent again, and a canceled subscription's charge
 * in flight is resolved but never sent. The subscription then moves on with a write conditioned on the
 * period and attempt it charged, so no delivery can apply a charge twice.
 */
import { createHash } from 'node:crypto';
import { NotFoundError } from '../http/errors';
import { isExpired } from '../payments/card';
import { drive, type MoneyMovement } from '../payments/engine/drive';
import { tokenSaleMovement } from '../payments/sale';
import { isResendable, type Transaction } from '../payments/transaction';
import { afterApproval, afterDecline, isHardDecline, nextAttempt } from './dunning';
import { chargeFailure, refusalFailure } from './failure';
import type { ChargeMessage, RecurringPorts } from './ports';
import { attemptNumber, isChargeable, type Subscription } from './subscription';

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
    readonly reason: 'outcome_unknown' | 'gateway_failed',
    message: string,
  ) {
    super(message);
  }
}

/** Refused right before the sale would be sent: no gateway call was made. */
class ChargeRefusedError extends Error {
  override readonly name = 'ChargeRefusedError';

  constructor(readonly reason: 'card_expired' | 'not_chargeable') {
    super(`the charge was refused before the gateway: ${reason}`);
  }
}

/**
 * The transaction id of the subscription's current attempt: the same for every delivery of its message,
 * and a new one (a new invoice) only for the next dunning attempt, after a decline. Attempts are numbered
 * from the period's first, also after failures were counted afresh (a new card): the new card's first
 * attempt is the one that was next, so one still in flight is resolved before anything new is sent.
 */
export function chargeTransactionId(subscription: Subscription): string {
  const digest = createHash('sha256')
    .update(
      [
        subscription.storefrontId,
        subscription.id,
        subscription.periodStart,
        attemptNumber(subscription),
      ].join('\n'),
    )
    .digest('hex');
  return `txn_${digest.slice(0, 32)}`;
}

/**
 * Charges the subscription `message` names if it is still due for that period and attempt.
 * @throws ChargeDeferredError when the outcome is unknown or the gateway could not take the sale.
 */
export async function chargeSubscription(
  ports: RecurringPorts,
  message: ChargeMessage,
): Promise<ChargeResult> {
  const subscription = await ports.billing.get(message.storefrontId, message.subscriptionId);
  if (!subscription) return { result: 'skipped', reason: 'missing' };
  const current =
    subscription.periodStart === message.periodStart && attemptNumber(subscription) === message.attempt;
  if (!current) return { result: 'skipped', reason: 'stale' };
  const movement = chargeMovement(ports, subscription);
  if (!isChargeable(subscription.status)) {
    // Canceled or unpaid: never a new sale, but a charge in flight is found and recorded (it can be refunded).
    await drive(ports, movement, 'resolve');
    return { result: 'skipped', reason: 'not_chargeable' };
  }
  const earlier = await ports.transactions.get(subscription.storefrontId, chargeTransactionId(subscription));
  if (earlier && !chargesWhatIsDue(earlier, subscription)) {
    return chargeAfterChange(ports, message, subscription, movement);
  }
  let transaction: Transaction;
  try {
    transaction = await drive(ports, movement, 'send');
  } catch (error) {
    if (error instanceof NotFoundError) return refuse(ports, subscription, 'card_removed');
    if (!(error instanceof ChargeRefusedError)) throw error;
    if (error.reason === 'not_chargeable') return { result: 'skipped', reason: 'not_chargeable' };
    return refuse(ports, subscription, error.reason);
  }
  return settle(ports, subscription, transaction);
}

/** Whether `transaction` charges the card and amount the subscription says now (a PATCH may change them). */
const chargesWhatIsDue = (transaction: Transaction, subscription: Subscription): boolean =>
  transaction.cardId === subscription.cardId && transaction.amount === subscription.amount;

/**
 * The current attempt was sent, or even settled, for the card or amount the subscription had before a
 * PATCH changed them. It is resolved as it was sent, never sent again under its invoice with the new
 * ones: an approval pays the period, one still unknown waits. Anything else charged nothing and says
 * nothing about the new card, so the change gets an attempt of its own, under the next invoice, and no
 * failure is counted.
 */
async function chargeAfterChange(
  ports: RecurringPorts,
  message: ChargeMessage,
  subscription: Subscription,
  movement: MoneyMovement,
): Promise<ChargeResult> {
  const resolved = await drive(ports, movement, 'resolve');
  if (resolved?.status === 'approved' || resolved?.status === 'pending') {
    return settle(ports, subscription, resolved);
  }
  await ports.billing.transition(subscription, nextAttempt(subscription));
  return chargeSubscription(ports, { ...message, attempt: message.attempt + 1 });
}

/**
 * The sale of the current attempt. Right before it is sent (never before an earlier send of it is
 * resolved) the card must still be active and unexpired and the subscription still chargeable.
 */
function chargeMovement(ports: RecurringPorts, subscription: Subscription): MoneyMovement {
  const input = {
    storefrontId: subscription.storefrontId,
    amount: subscription.amount,
    customerId: subscription.customerId,
    cardId: subscription.cardId,
    subscriptionId: subscription.id,
    description: subscription.description,
  };
  return tokenSaleMovement(ports, input, chargeTransactionId(subscription), {
    check: async (card) => {
      if (isExpired(card, ports.clock.now())) throw new ChargeRefusedError('card_expired');
      const latest = await ports.billing.get(subscription.storefrontId, subscription.id);
      if (!latest || !isChargeable(latest.status)) throw new ChargeRefusedError('not_chargeable');
    },
  });
}

async function settle(
  ports: RecurringPorts,
  subscription: Subscription,
  transaction: Transaction,
): Promise<ChargeResult> {
  const transactionId = transaction.id;
  if (transaction.status === 'approved') {
    await ports.billing.transition(subscription, afterApproval(subscription, transactionId));
    return { result: 'approved', transactionId };
  }
  if (transaction.status === 'pending') {
    // Sent, outcome unknown: the next delivery (or reconciliation) resolves it under its own invoice.
    throw new ChargeDeferredError('outcome_unknown', 'the gateway did not say whether it charged');
  }
  if (isResendable(transaction)) {
    // Known not charged and saying nothing about the card: the next delivery sends the same attempt.
    throw new ChargeDeferredError(
      'gateway_failed',
      `the gateway did not take the sale (${transaction.failureCode ?? 'unknown'})`,
    );
  }
  // Declined, or a request the gateway rejects (resending cannot help): a failed attempt on the dunning
  // schedule, so that it ends (unpaid) instead of being retried for ever.
  const hard = isHardDecline(transaction.gateway?.resultCode);
  const failure = chargeFailure(transaction, ports.clock.now());
  const next = afterDecline(subscription, ports.dunning, { hard, failure });
  await ports.billing.transition(subscription, next);
  return { result: 'declined', reason: 'card_declined', status: next.status, transactionId };
}

async function refuse(
  ports: RecurringPorts,
  subscription: Subscription,
  reason: 'card_removed' | 'card_expired',
): Promise<ChargeResult> {
  // No retry: the card cannot be charged until the storefront sets another one (PATCH).
  const failure = refusalFailure(reason, ports.clock.now());
  const next = afterDecline(subscription, ports.dunning, { hard: true, failure });
  await ports.billing.transition(subscription, next);
  return { result: 'declined', reason, status: next.status };
}
