/**
 * Which events a state change produces: pure functions of the state before and after, called by the
 * store in the write that makes the change (contract: Webhooks, event types).
 */
import { type Card, toCardResource } from '../payments/card';
import { type Transaction, toTransactionResource } from '../payments/transaction';
import { type Subscription, toSubscriptionResource } from '../subscriptions/subscription';
import { type OutboxEntry, outboxEntry } from './outbox';

/**
 * A sale's `pending` event waits this long after the send: if the request that sent it settles it by
 * then (the usual case), the settle drops the entry unpublished, and the storefront hears of the sale
 * once, with its outcome. Longer than any request that sends a charge may run (the idempotency lock).
 */
export const PENDING_EVENT_DELAY_MS = 30_000;

/**
 * The events of a transaction written with status `after.status`, having been `before` (absent when it
 * is new). `carried` is its outbox as read: kept, except a `sale.pending` not yet due once the sale is
 * no longer pending.
 */
export function transactionEvents(
  before: Pick<Transaction, 'status'> | undefined,
  after: Transaction,
  carried: readonly OutboxEntry[],
  now: Date,
): OutboxEntry[] {
  const stillPending = after.status === 'pending';
  const kept = carried.filter(
    (entry) => stillPending || entry.type !== 'sale.pending' || entry.notBefore <= now.toISOString(),
  );
  if (before?.status === after.status) return kept;
  const object = toTransactionResource(after);
  const event = (type: OutboxEntry['type'], notBefore?: Date) =>
    outboxEntry(type, after.storefrontId, object, now, notBefore);
  if (after.status === 'pending') {
    // Refunds have no pending event: their final one follows.
    return after.type === 'sale'
      ? [...kept, event('sale.pending', new Date(now.getTime() + PENDING_EVENT_DELAY_MS))]
      : kept;
  }
  const added = [event(`${after.type}.${after.status}`)];
  if (after.status === 'approved' && after.cardSaveFailed === true) added.push(event('card.save_failed'));
  return [...kept, ...added];
}

export function cardEvent(type: 'card.saved' | 'card.deleted', card: Card, now: Date): OutboxEntry {
  return outboxEntry(type, card.storefrontId, toCardResource(card), now);
}

/**
 * The event of a subscription change: its new status names it when the status changed to `past_due`,
 * `unpaid` or `canceled`; any other change (a charge that advanced it, a recovery, a PATCH) is `updated`.
 */
export function subscriptionEvent(
  before: Pick<Subscription, 'status'> | undefined,
  after: Subscription,
  now: Date,
): OutboxEntry {
  const object = toSubscriptionResource(after);
  const type =
    before === undefined
      ? 'subscription.created'
      : after.status !== before.status && after.status !== 'active'
        ? (`subscription.${after.status}` as const)
        : 'subscription.updated';
  return outboxEntry(type, after.storefrontId, object, now);
}
