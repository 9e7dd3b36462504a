/**
 * PATCH of a subscription (contract: Routes): what changes, what a new card does to a subscription in
 * dunning, and that the next charge after it is a new attempt on the new card, never a replay of an
 * earlier declined invoice, nor a second sale beside one still in flight.
 */
import { parseAmount } from '../../../shared/money';
import { runIdempotent } from '../../../shared/payments/idempotent-operation';
import { type SubscriptionChanges, updateSubscription } from '../../../shared/subscriptions/update';
import { chargeSubscription } from '../../../shared/subscriptions/worker';
import { serverErrorAfterCharging } from '../../support/fake-gateway';
import {
  addCard,
  addNewCard,
  addSubscription,
  currentChargeId,
  declined,
  deliverDue,
  dueMessage,
  NEW_CARD_TOKEN,
  preparedPorts,
  type RecurringTestPorts,
  recordedCharges,
  STOREFRONT,
  storedSubscription,
} from './recurring-setup';

function patch(ports: RecurringTestPorts, changes: SubscriptionChanges, key = 'patch-1', id = 'sub_1') {
  return runIdempotent(
    ports,
    {
      storefrontId: STOREFRONT,
      key,
      route: 'PATCH /v1/subscriptions/{subscriptionId}',
      requestHash: JSON.stringify(changes),
      idPrefix: 'sub',
    },
    updateSubscription(ports, STOREFRONT, id, changes),
  );
}

const bodyOf = (response: { body: string }) => JSON.parse(response.body);

/** `sub_1` declined `times` times (soft declines), with a second card of the same customer saved. */
async function inDunning(times: number): Promise<RecurringTestPorts> {
  const ports = await preparedPorts();
  await addNewCard(ports);
  ports.fakeGateway.script(...Array.from({ length: times }, () => declined('051')));
  for (let attempt = 0; attempt < times; attempt += 1) await deliverDue(ports);
  return ports;
}

describe('Function: updateSubscription', () => {
  it('changes the amount and description of an active subscription, from the next charge on', async () => {
    // Prepare
    const ports = await preparedPorts();

    // Act
    const response = await patch(ports, { amount: parseAmount('25.00'), description: 'Gold plan' });
    await deliverDue(ports);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      id: 'sub_1',
      status: 'active',
      amount: '25.00',
      description: 'Gold plan',
      nextChargeAt: '2026-12-01T00:00:00.000Z',
      failedAttempts: 0,
      lastFailure: null,
    });
    expect(ports.fakeGateway.requests('tokenSale')).toEqual([
      expect.objectContaining({ amount: 2500, description: 'Gold plan' }),
    ]);
  });

  it('moves an active subscription to another card without making it due', async () => {
    const ports = await preparedPorts('2026-11-20T09:00:00.000Z');
    await addNewCard(ports);

    const response = await patch(ports, { cardId: 'card_2' });

    expect(bodyOf(response)).toMatchObject({
      cardId: 'card_2',
      status: 'active',
      nextChargeAt: '2026-12-01T00:00:00.000Z',
    });
    expect(ports.fakeGateway.calls).toEqual([]);
  });

  it('makes a past_due subscription due at once on a new card, failures counted afresh, and charges the new card', async () => {
    // Prepare: the first attempt of the period was declined on card_1.
    const ports = await inDunning(1);
    const declinedInvoice = recordedCharges(ports)[0]?.id;
    ports.advance(3 * 60 * 60 * 1000);
    const now = ports.clock.now().toISOString();

    // Act
    const response = await patch(ports, { cardId: 'card_2' });
    const result = await deliverDue(ports);

    // Assess
    expect(bodyOf(response)).toMatchObject({
      status: 'past_due',
      cardId: 'card_2',
      nextChargeAt: now,
      failedAttempts: 0,
      lastFailure: { code: 'card_declined', declineCode: '051', transactionId: declinedInvoice },
    });
    expect(result).toMatchObject({ result: 'approved' });
    const sales = ports.fakeGateway.requests('tokenSale');
    expect(sales).toHaveLength(2);
    expect(sales[1]).toMatchObject({ tokenId: NEW_CARD_TOKEN });
    expect(sales[1]?.invoice).not.toBe(declinedInvoice);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      periodStart: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
      cardId: 'card_2',
    });
    expect((await storedSubscription(ports)).lastFailure).toBeUndefined();
  });

  it('counts failures afresh: a decline on the new card retries a day after the change, not unpaid', async () => {
    // Prepare: three declines left it on its last retry.
    const ports = await inDunning(3);
    ports.advance(2 * 24 * 60 * 60 * 1000);
    const changedAt = ports.clock.now();
    await patch(ports, { cardId: 'card_2' });
    ports.fakeGateway.script(declined('051'));

    // Act
    const result = await deliverDue(ports);

    // Assess
    expect(result).toMatchObject({ result: 'declined', status: 'past_due' });
    const invoices = ports.fakeGateway.requests('tokenSale').map((sale) => sale.invoice);
    expect(new Set(invoices).size).toBe(4);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'past_due',
      failedAttempts: 1,
      nextChargeAt: new Date(changedAt.getTime() + 24 * 60 * 60 * 1000).toISOString(),
    });
  });

  it('brings an unpaid subscription back: past_due, in the due index, charged on the new card', async () => {
    // Prepare: the card was removed, so the charge was refused before the gateway.
    const ports = await preparedPorts();
    await addNewCard(ports);
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-30T00:00:00.000Z');
    await deliverDue(ports);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'unpaid',
      lastFailure: { code: 'card_removed', transactionId: null },
    });

    // Act
    const response = await patch(ports, { cardId: 'card_2' });
    const until = ports.clock.now().toISOString();
    const shards = Array.from({ length: ports.due.dueShards }, (_, shard) => shard);
    const dueAll = await Promise.all(shards.map((shard) => ports.due.listDue(shard, until)));
    const result = await deliverDue(ports);

    // Assess
    expect(bodyOf(response)).toMatchObject({ status: 'past_due', failedAttempts: 0, cardId: 'card_2' });
    expect(dueAll.flatMap((page) => page.charges.map((charge) => charge.subscriptionId))).toEqual(['sub_1']);
    expect(result).toMatchObject({ result: 'approved' });
    expect(ports.fakeGateway.requests('tokenSale')).toEqual([
      expect.objectContaining({ tokenId: NEW_CARD_TOKEN }),
    ]);
  });

  it('revives an unpaid subscription months later for the period under way, not every period missed', async () => {
    // Prepare: unpaid in its first period (card removed); the storefront sets a new card 75 days later.
    const ports = await preparedPorts();
    await addNewCard(ports);
    const before = await storedSubscription(ports);
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-30T00:00:00.000Z');
    await deliverDue(ports);
    ports.advance(75 * 24 * 60 * 60 * 1000);
    const now = ports.clock.now();

    // Act
    await patch(ports, { cardId: 'card_2' });
    const charged = await deliverDue(ports);
    const after = await storedSubscription(ports);

    // Assess: one sale, for the period that contains now; the next period is the one after it.
    expect([before.periodStart, now.toISOString()]).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-02-14T00:05:00.000Z',
    ]);
    expect(charged).toMatchObject({ result: 'approved' });
    expect(ports.fakeGateway.requests('tokenSale')).toHaveLength(1);
    expect(after).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      periodStart: '2027-03-01T00:00:00.000Z',
      nextChargeAt: '2027-03-01T00:00:00.000Z',
    });
  });

  it('resolves a retry still in flight under its own invoice before charging the new card: one sale', async () => {
    // Prepare: the retry was charged, but Clearent answered 5xx; then the storefront sets a new card.
    const ports = await inDunning(1);
    const inFlight = await currentChargeId(ports);
    ports.fakeGateway.script(serverErrorAfterCharging(503));
    await expect(chargeSubscription(ports, await dueMessage(ports))).rejects.toMatchObject({
      reason: 'outcome_unknown',
    });
    await patch(ports, { cardId: 'card_2' });
    const afterPatch = await currentChargeId(ports);

    // Act
    ports.advance(30_000);
    const result = await deliverDue(ports);

    // Assess
    // The new card's first attempt is the one in flight: resolved, not sent again beside it.
    expect(afterPatch).toBe(inFlight);
    expect(result).toEqual({ result: 'approved', transactionId: inFlight });
    expect(ports.fakeGateway.requests('tokenSale').map((sale) => sale.invoice)).toEqual([
      recordedCharges(ports)[0]?.id,
      inFlight,
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      periodStart: '2027-01-01T00:00:00.000Z',
    });
  });

  it('answers 422 for a canceled subscription, and changes nothing', async () => {
    const ports = await preparedPorts();
    await ports.subscriptions.cancel(STOREFRONT, 'sub_1', '2026-11-30T00:00:00.000Z');

    const response = await patch(ports, { amount: parseAmount('1.00') });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'subscription_canceled',
        message: expect.any(String),
        param: 'subscriptionId',
      },
    });
    expect((await storedSubscription(ports)).amount).toBe(1999);
  });

  it.each([
    ["another customer's card", { id: 'card_9', customerId: 'cus_other' }],
    ['a removed card', { id: 'card_9', status: 'removed' as const }],
  ])('answers 404 cardId for %s', async (_case, card) => {
    const ports = await preparedPorts();
    await addCard(ports, card);

    const response = await patch(ports, { cardId: 'card_9' });

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'resource_missing', param: 'cardId' } });
    expect((await storedSubscription(ports)).cardId).toBe('card_1');
  });

  it('answers 404 for a subscription of another storefront', async () => {
    const ports = await preparedPorts();
    await addSubscription(ports, { id: 'sub_2', storefrontId: 'sf_other' });

    const response = await patch(ports, { amount: parseAmount('1.00') }, 'patch-1', 'sub_2');

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: { param: 'subscriptionId' } });
  });

  it('writes nothing when the change sets what is already there', async () => {
    const ports = await preparedPorts();
    const before = await storedSubscription(ports);

    const response = await patch(ports, { cardId: 'card_1', amount: parseAmount('19.99') });

    expect(response.statusCode).toBe(200);
    expect(await storedSubscription(ports)).toEqual(before);
  });
});
