/**
 * A subscription due on 2026-12-01 with an active card, on in-memory ports and a fake gateway, for the
 * recurring charge tests.
 */
import type { Card } from '../../../shared/payments/card';
import type { Transaction } from '../../../shared/payments/transaction';
import { type DunningPolicy, defaultDunningPolicy } from '../../../shared/subscriptions/dunning';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import type { Subscription } from '../../../shared/subscriptions/subscription';
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
import { chargeMessageOf, STOREFRONT, testCard, testSubscription } from '../../support/subscription-fixtures';

export { CARD_TOKEN, STOREFRONT } from '../../support/subscription-fixtures';
export const NEW_CARD_TOKEN = 'tok_secret_2222';

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
  const card = testCard(overrides);
  await ports.cards.add(card);
  return card;
}

/** `card_2`, a second card of the same customer, for a PATCH to move `sub_1` to. */
export const addNewCard = (ports: RecurringTestPorts): Promise<Card> =>
  addCard(ports, { id: 'card_2', tokenId: NEW_CARD_TOKEN, last4: '2222' });

export async function addSubscription(
  ports: RecurringTestPorts,
  overrides: Partial<Subscription> = {},
): Promise<Subscription> {
  const subscription = testSubscription(overrides);
  await ports.subscriptions.create(subscription);
  return subscription;
}

/** The message the selector would queue for the subscription as it is stored now. */
export async function dueMessage(
  ports: RecurringTestPorts,
  subscriptionId = 'sub_1',
): Promise<ChargeMessage> {
  return chargeMessageOf(await storedSubscription(ports, subscriptionId));
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
