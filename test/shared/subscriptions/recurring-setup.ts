/**
 * A subscription due on 2026-12-01 with an active card, on in-memory ports and a fake gateway, for the
 * recurring charge tests.
 */
import { parseAmount } from '../../../shared/money';
import type { Card } from '../../../shared/payments/card';
import type { Transaction } from '../../../shared/payments/transaction';
import { type DunningPolicy, defaultDunningPolicy } from '../../../shared/subscriptions/dunning';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import { attemptNumber, type Subscription } from '../../../shared/subscriptions/subscription';
import { chargeSubscription, chargeTransactionId } from '../../../shared/subscriptions/worker';
import {
  memoryPorts,
  type TestPorts,
  type TransactionWrite,
  type WriteFault,
} from '../../support/memory-ports';
import {
  type MemoryDueSubscriptions,
  type MemorySubscriptionBilling,
  type MemorySubscriptions,
  memorySubscriptionPorts,
} from '../../support/memory-subscriptions';

export const STOREFRONT = 'sf_a';
export const CARD_TOKEN = 'tok_secret_1111';

/** The payments ports, the subscriptions as the API, the worker and the selector see them, and dunning. */
export type RecurringTestPorts = TestPorts & {
  subscriptions: MemorySubscriptions;
  billing: MemorySubscriptionBilling;
  due: MemoryDueSubscriptions;
  dunning: DunningPolicy;
};

export function recurringPorts(
  now = '2026-12-01T00:05:00.000Z',
  dunning: DunningPolicy = defaultDunningPolicy,
): RecurringTestPorts {
  const ports = memoryPorts(new Date(now));
  return { ...ports, ...memorySubscriptionPorts(2), dunning };
}

export async function addCard(ports: RecurringTestPorts, overrides: Partial<Card> = {}): Promise<Card> {
  const card: Card = {
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
  };
  await ports.cards.add(card);
  return card;
}

export async function addSubscription(
  ports: RecurringTestPorts,
  overrides: Partial<Subscription> = {},
): Promise<Subscription> {
  const subscription: Subscription = {
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
  };
  await ports.subscriptions.create(subscription);
  return subscription;
}

/** The message the selector would queue for the subscription as it is stored now. */
export async function dueMessage(
  ports: RecurringTestPorts,
  subscriptionId = 'sub_1',
): Promise<ChargeMessage> {
  const stored = await ports.subscriptions.get(STOREFRONT, subscriptionId);
  if (!stored) throw new Error(`no subscription ${subscriptionId}`);
  return {
    storefrontId: STOREFRONT,
    subscriptionId,
    periodStart: stored.periodStart,
    attempt: attemptNumber(stored),
  };
}

export const declined = (resultCode: string) => ({
  outcome: 'declined' as const,
  resultCode,
  message: 'Declined by Issuer',
  authorizationCode: undefined,
});

/** Ports with the card and the subscription `sub_1` of `addCard` and `addSubscription`. */
export async function preparedPorts(now?: string): Promise<RecurringTestPorts> {
  const ports = recurringPorts(now);
  await addCard(ports);
  await addSubscription(ports);
  return ports;
}

export async function storedSubscription(ports: RecurringTestPorts, id = 'sub_1'): Promise<Subscription> {
  const subscription = await ports.subscriptions.get(STOREFRONT, id);
  if (!subscription) throw new Error(`no subscription ${id}`);
  return subscription;
}

/** Every transaction recorded, oldest first. */
export const recordedCharges = (ports: RecurringTestPorts): Transaction[] => [
  ...ports.transactions.items.values(),
];

/** Delivers the message the selector would queue for `sub_1` now. */
export async function deliverDue(ports: RecurringTestPorts) {
  return chargeSubscription(ports, await dueMessage(ports));
}

/**
 * The next `method` write of a transaction fails with `fault` (by default `settle`, after the gateway
 * has answered, thrown before anything is written); later writes work.
 */
export function failNextTransactionWrite(
  ports: RecurringTestPorts,
  method: TransactionWrite = 'settle',
  fault: Partial<WriteFault> = {},
): void {
  ports.transactions.failNext(method, fault);
}

/** The transaction id (our invoice at Clearent) of the subscription's current attempt, as stored now. */
export async function currentChargeId(ports: RecurringTestPorts, id = 'sub_1'): Promise<string> {
  return chargeTransactionId(await storedSubscription(ports, id));
}
