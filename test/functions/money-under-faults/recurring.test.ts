/**
 * A recurring charge answered 5xx after the gateway charged it (contract, "Recurring and 5xx"), through
 * `POST /_local/run-recurring` and the real worker. The simulator's search shows the charge only a
 * minute (of its clock, moved by the test) after it was made, so the first run cannot find it: the
 * charge stays pending under its invoice, and the next run resolves that same invoice before anything
 * else. One charge, recorded, and the subscription moved on once.
 */
import { addInterval, startOfDayUtc } from '../../../shared/subscriptions/schedule';
import type { SubscriptionResource } from '../../../shared/subscriptions/subscription';
import { startApi, type TestApi, type TransactionList } from '../support/api';
import { movableClock } from '../support/settle';

/** Long: nothing in this file may be sent again because the window passed. */
const SETTLE_SECONDS = 60;
/** By the simulator's clock, which only the test moves this far. */
const SEARCH_LAG_MS = 60_000;
const SALE = 'POST /rest/v2/transactions/sale';

const clock = movableClock();
let api: TestApi;

beforeAll(async () => {
  api = await startApi({ settleSeconds: SETTLE_SECONDS, sandbox: { now: clock.now } });
});
afterAll(() => api.close());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

/** A monthly subscription due today, on a card saved by a sale, with its charges searchable only late. */
async function dueSubscription(amount: string): Promise<SubscriptionResource> {
  const { customerId, cardId } = await api.saveCard();
  const created = await api.post('/v1/subscriptions', { customerId, cardId, amount, interval: 'month' });
  expect(created.status).toBe(201);
  api.sandbox.configure({ searchLagMs: SEARCH_LAG_MS });
  return created.json<SubscriptionResource>();
}

async function chargesOf(subscription: SubscriptionResource) {
  const response = await api.get(`/v1/transactions?subscriptionId=${subscription.id}`);
  return response.json<TransactionList>().data;
}

afterEach(() => api.sandbox.configure({ searchLagMs: 0 }));

describe('Function: run-recurring, a charge answered 5xx after the gateway charged it', () => {
  it('keeps the charge pending under its invoice, and the next run records it: one charge, the subscription advanced once', async () => {
    // Prepare
    const subscription = await dueSubscription('11.11');
    const salesBefore = requestsTo(SALE);
    api.sandbox.injectFault({
      kind: 'http-error',
      status: 500,
      processed: true,
      match: { operation: 'sale' },
    });

    // Act
    const firstRun = await api.runRecurring();
    const [pending, ...othersAfterFirst] = await chargesOf(subscription);
    const afterFirst = (await api.get(`/v1/subscriptions/${subscription.id}`)).json<SubscriptionResource>();
    clock.advance(SEARCH_LAG_MS);
    const secondRun = await api.runRecurring();
    const [charge, ...othersAfterSecond] = await chargesOf(subscription);
    const afterSecond = (await api.get(`/v1/subscriptions/${subscription.id}`)).json<SubscriptionResource>();
    const thirdRun = await api.runRecurring();

    // Assess
    // Every delivery of the first run searched, found nothing yet, and was inside the window: nothing resent.
    expect(firstRun.status).toBe(200);
    expect(firstRun.json()).toMatchObject({ due: 1, charged: 0, approved: 0, declined: 0, failed: 1 });
    expect(othersAfterFirst).toEqual([]);
    expect(pending).toMatchObject({ status: 'pending', amount: '11.11', subscriptionId: subscription.id });
    const charges = api.sandbox.ledger.chargesForInvoice(pending?.id ?? '');
    expect(charges).toEqual([expect.objectContaining({ amount: 1111 })]);
    expect(afterFirst).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      nextChargeAt: subscription.nextChargeAt,
    });
    // The second run drives the same invoice, finds the charge and records it.
    expect(secondRun.json()).toMatchObject({ due: 1, charged: 1, approved: 1, declined: 0, failed: 0 });
    expect(othersAfterSecond).toEqual([]);
    expect(charge).toMatchObject({
      id: pending?.id,
      status: 'approved',
      amount: '11.11',
      gateway: { transactionId: charges[0]?.id },
    });
    const today = startOfDayUtc(new Date());
    expect(afterSecond).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      nextChargeAt: addInterval(today, 'month', 1, today.getUTCDate()).toISOString(),
    });
    expect(thirdRun.json()).toMatchObject({ due: 0, charged: 0 });
    expect(requestsTo(SALE)).toBe(salesBefore + 1);
    expect(api.sandbox.ledger.chargesForInvoice(pending?.id ?? '')).toHaveLength(1);
  });

  it('records the pending charge of a subscription canceled meanwhile by reconciliation, and never sends it again', async () => {
    // Prepare
    const subscription = await dueSubscription('12.12');
    const salesBefore = requestsTo(SALE);
    api.sandbox.injectFault({
      kind: 'http-error',
      status: 502,
      processed: true,
      match: { operation: 'sale' },
    });
    await api.runRecurring();
    const [pending] = await chargesOf(subscription);

    // Act
    const canceled = await api.delete(`/v1/subscriptions/${subscription.id}`);
    clock.advance(SEARCH_LAG_MS);
    const runAfterCancel = await api.runRecurring();
    const reconciled = await api.runReconciliation(new Date(Date.now() + (SETTLE_SECONDS + 1) * 1000));
    const [charge, ...others] = await chargesOf(subscription);

    // Assess
    expect(pending).toMatchObject({ status: 'pending', amount: '12.12' });
    expect(canceled.json<SubscriptionResource>()).toMatchObject({ status: 'canceled', nextChargeAt: null });
    expect(runAfterCancel.json()).toMatchObject({ due: 0, charged: 0 });
    expect(reconciled.json()).toMatchObject({ examined: 1, resolved: 1, notCharged: 0, unresolved: 0 });
    expect(others).toEqual([]);
    const charges = api.sandbox.ledger.chargesForInvoice(pending?.id ?? '');
    expect(charges).toEqual([expect.objectContaining({ amount: 1212 })]);
    expect(charge).toMatchObject({
      id: pending?.id,
      status: 'approved',
      gateway: { transactionId: charges[0]?.id },
    });
    expect(requestsTo(SALE)).toBe(salesBefore + 1);
  });
});
