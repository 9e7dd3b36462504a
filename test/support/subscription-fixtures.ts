/**
 * The card, subscription, charge message and decline the recurring tests are built from, as plain
 * values: each test stores them where it needs them (in memory or in DynamoDB) and overrides what it is
 * about.
 */
import { parseAmount } from '../../shared/money';
import type { Card } from '../../shared/payments/card';
import type { SubscriptionFailure } from '../../shared/subscriptions/failure';
import type { ChargeMessage } from '../../shared/subscriptions/ports';
import { attemptNumber, type Subscription } from '../../shared/subscriptions/subscription';

export const STOREFRONT = 'sf_a';
export const CARD_TOKEN = 'tok_secret_1111';

/** `card_1` of `cus_42`, active, expiring at the end of 2028. */
export const testCard = (overrides: Partial<Card> = {}): Card => ({
  id: 'card_1',
  storefrontId: STOREFRONT,
  customerId: 'cus_42',
  tokenId: CARD_TOKEN,
  brand: 'VISA',
  last4: '1111',
  expDate: '1228',
  status: 'active',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

/** `sub_1`: 19.99 a month on `card_1`, active, its first period due on 2026-12-01. */
export const testSubscription = (overrides: Partial<Subscription> = {}): Subscription => ({
  id: 'sub_1',
  storefrontId: STOREFRONT,
  status: 'active',
  customerId: 'cus_42',
  cardId: 'card_1',
  amount: parseAmount('19.99'),
  interval: 'month',
  intervalCount: 1,
  anchorDay: 1,
  periodStart: '2026-12-01T00:00:00.000Z',
  nextChargeAt: '2026-12-01T00:00:00.000Z',
  failedAttempts: 0,
  createdAt: '2026-11-24T10:00:00.000Z',
  ...overrides,
});

/** The message the selector queues for `subscription` as it is stored. */
export const chargeMessageOf = (subscription: Subscription): ChargeMessage => ({
  storefrontId: subscription.storefrontId,
  subscriptionId: subscription.id,
  periodStart: subscription.periodStart,
  attempt: attemptNumber(subscription),
});

/** A `card_declined` failure (051) of the charge `transactionId`, as a subscription's `lastFailure` keeps it. */
export const declineFailure = (transactionId: string): SubscriptionFailure => ({
  code: 'card_declined',
  declineCode: '051',
  message: 'Declined by Issuer',
  transactionId,
  at: '2027-01-31T00:05:00.000Z',
});
