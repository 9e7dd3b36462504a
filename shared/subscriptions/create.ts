/**
 * Creating and canceling subscriptions. Creating charges nothing: the first charge is made by the first
 * scheduled run at or after `startDate` 00:00 UTC. Canceling stops every later charge.
 */
import { InvalidRequestError, NotFoundError } from '../http/errors';
import type { Cents } from '../money';
import { requireActiveCard } from '../payments/card';
import type { IdempotentOperation } from '../payments/idempotent-operation';
import type { PaymentsPorts } from '../payments/ports';
import type { StoredResponse } from '../payments/transaction';
import type { SubscriptionRepository } from './ports';
import { type Interval, startOfDayUtc } from './schedule';
import { type Subscription, toSubscriptionResource } from './subscription';

export interface CreateSubscriptionInput {
  storefrontId: string;
  customerId: string;
  cardId: string;
  amount: Cents;
  interval: Interval;
  intervalCount: number;
  /** 00:00 UTC of the first period; default today (UTC). */
  startDate?: Date;
  description?: string;
}

type Ports = Pick<PaymentsPorts, 'cards' | 'clock'> & { subscriptions: SubscriptionRepository };

const created = (subscription: Subscription): StoredResponse => ({
  statusCode: 201,
  body: JSON.stringify(toSubscriptionResource(subscription)),
});

/**
 * The create operation, run under the POST's Idempotency-Key (`idempotentResult(..., 'sub', operation)`).
 * The card must be an active card of that customer (404 otherwise).
 */
export function createSubscription(ports: Ports, input: CreateSubscriptionInput): IdempotentOperation {
  const start = async (id: string) => {
    const card = await requireActiveCard(ports.cards, input.storefrontId, input.customerId, input.cardId);
    const now = ports.clock.now();
    const today = startOfDayUtc(now);
    const firstPeriod = input.startDate ?? today;
    // Checked here, on the first attempt only, so that a retry of the same key replays the same answer.
    if (firstPeriod < today) {
      throw new InvalidRequestError(
        'validation_error',
        'startDate must be today or later (UTC)',
        'startDate',
      );
    }
    const subscription: Subscription = {
      id,
      storefrontId: input.storefrontId,
      status: 'active',
      customerId: input.customerId,
      cardId: card.id,
      amount: input.amount,
      interval: input.interval,
      intervalCount: input.intervalCount,
      description: input.description,
      anchorDay: firstPeriod.getUTCDate(),
      periodStart: firstPeriod.toISOString(),
      nextChargeAt: firstPeriod.toISOString(),
      failedAttempts: 0,
      createdAt: now.toISOString(),
    };
    await ports.subscriptions.create(subscription);
    return { response: created(subscription) };
  };
  return {
    run: async (id, { resumed }) => {
      // A resumed attempt follows one that died: it either stored the subscription or did nothing.
      const existing = resumed ? await ports.subscriptions.get(input.storefrontId, id) : undefined;
      return existing ? { response: created(existing) } : start(id);
    },
  };
}

/** Cancels the subscription (canceling a canceled one returns it unchanged); 404 when there is none. */
export async function cancelSubscription(
  ports: Pick<PaymentsPorts, 'clock'> & { subscriptions: SubscriptionRepository },
  storefrontId: string,
  subscriptionId: string,
): Promise<Subscription> {
  const at = ports.clock.now().toISOString();
  const subscription = await ports.subscriptions.cancel(storefrontId, subscriptionId, at);
  if (!subscription) throw new NotFoundError('subscription', 'subscriptionId');
  return subscription;
}
