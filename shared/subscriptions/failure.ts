/**
 * Why a subscription's latest charge failed (contract: Resources > Subscription, `lastFailure`), so that
 * a storefront can tell its customer. A declined sale or one the gateway rejected carries its
 * transaction; a charge refused before the gateway (card removed or expired) has none.
 */

import type { subscriptionFailureSchema } from '../http/schemas/subscription';
import type { Transaction } from '../payments/transaction';
import type * as z from '../zod';

/** Stored on the subscription and shown as its `lastFailure` (../http/schemas/subscription.ts). */
export type SubscriptionFailure = z.infer<typeof subscriptionFailureSchema>;

/** Refused before the gateway: no sale was sent, so there is no transaction. */
const REFUSALS: Record<'card_removed' | 'card_expired', string> = {
  card_removed: 'The card was removed; set a new card to charge it again',
  card_expired: 'The card has expired; set a new card to charge it again',
};

/**
 * The failure of a charge the gateway declined, or rejected as a request (resending cannot help).
 * @example chargeFailure(declinedSale, now) // { code: 'card_declined', declineCode: '051', ... }
 */
export function chargeFailure(transaction: Transaction, at: Date): SubscriptionFailure {
  const reason = transaction.gateway?.message;
  if (transaction.status === 'declined') {
    return {
      code: 'card_declined',
      declineCode: transaction.gateway?.resultCode ?? null,
      message: reason ?? 'The card was declined',
      transactionId: transaction.id,
      at: at.toISOString(),
    };
  }
  return {
    code: 'gateway_error',
    declineCode: null,
    message: `The card gateway rejected the charge${reason ? ` (${reason})` : ''}; nothing was charged`,
    transactionId: transaction.id,
    at: at.toISOString(),
  };
}

export function refusalFailure(reason: keyof typeof REFUSALS, at: Date): SubscriptionFailure {
  return {
    code: reason,
    declineCode: null,
    message: REFUSALS[reason],
    transactionId: null,
    at: at.toISOString(),
  };
}
