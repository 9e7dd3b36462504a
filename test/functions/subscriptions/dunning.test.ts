/**
 * A subscription's failed charges as a storefront sees them, through the real handlers and
 * `POST /_local/run-recurring` on the Clearent simulator (contract: Resources > Subscription
 * `lastFailure`, the DELETE card row, PATCH): why the charge failed, and a new card setting it right.
 * Each test leaves its subscriptions not due, so the next test's runs charge only its own.
 */
import type { SubscriptionResource } from '../../../shared/subscriptions/subscription';
import { type ApiResponse, startApi, type TestApi, type TransactionList } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const SALE = 'POST /rest/v2/transactions/sale';
/** Clearent's sandbox trigger amount for a soft decline: 012, Not Sufficient Funds. */
const INSUFFICIENT_FUNDS = '0.21';

const salesSent = () => api.sandbox.ledger.requestCounts[SALE] ?? 0;

const patch = (path: string, body: unknown): Promise<ApiResponse> => api.patch(path, body);

/** A monthly subscription due today, on a card saved by a sale. */
async function dueSubscription(amount: string) {
  const { customerId, cardId } = await api.saveCard();
  const created = await api.post('/v1/subscriptions', { customerId, cardId, amount, interval: 'month' });
  expect(created.status).toBe(201);
  return { customerId, cardId, subscription: created.json<SubscriptionResource>() };
}

const read = async (id: string) => (await api.get(`/v1/subscriptions/${id}`)).json<SubscriptionResource>();

const chargesOf = async (id: string) =>
  (await api.get(`/v1/transactions?subscriptionId=${id}`)).json<TransactionList>().data;

describe('Function: subscriptions handler, failed charges and a new card', () => {
  it('shows why a charge was declined, and a new card makes it due at once and charges it', async () => {
    // Prepare: the run declines the first charge.
    const { customerId, subscription } = await dueSubscription(INSUFFICIENT_FUNDS);
    await api.runRecurring();
    const declined = await read(subscription.id);
    const [charge] = await chargesOf(subscription.id);
    const { cardId: newCard } = await api.saveCard(customerId);

    // Act
    const changed = await patch(`/v1/subscriptions/${subscription.id}`, { cardId: newCard, amount: '5.00' });
    const before = Date.now();
    await api.runRecurring();
    const recovered = await read(subscription.id);
    const charges = await chargesOf(subscription.id);

    // Assess
    expect(declined).toMatchObject({
      status: 'past_due',
      failedAttempts: 1,
      lastFailure: {
        code: 'card_declined',
        declineCode: '012',
        message: 'Not Sufficient Funds',
        transactionId: charge?.id,
        at: expect.any(String),
      },
    });
    expect(charge).toMatchObject({ status: 'declined', amount: INSUFFICIENT_FUNDS });
    expect(changed.status).toBe(200);
    const changedBody = changed.json<SubscriptionResource>();
    expect(changedBody).toMatchObject({
      status: 'past_due',
      cardId: newCard,
      amount: '5.00',
      failedAttempts: 0,
      lastFailure: declined.lastFailure,
    });
    expect(Date.parse(changedBody.nextChargeAt ?? '')).toBeLessThanOrEqual(before);
    expect(recovered).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      lastFailure: null,
      cardId: newCard,
    });
    expect(charges.map((t) => [t.status, t.amount, t.cardId])).toEqual([
      ['approved', '5.00', newCard],
      ['declined', INSUFFICIENT_FUNDS, declined.cardId],
    ]);
  });

  it('leaves a subscription unchanged when its card is deleted; its next charge is refused unsent, unpaid until a new card is set', async () => {
    // Prepare
    const { customerId, cardId, subscription } = await dueSubscription('7.00');
    const deleted = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const afterDelete = await read(subscription.id);
    const salesBefore = salesSent();

    // Act
    await api.runRecurring();
    const unpaid = await read(subscription.id);
    const salesAfterRun = salesSent();
    await api.runRecurring();
    const salesAfterSecondRun = salesSent();
    const { cardId: newCard } = await api.saveCard(customerId);
    const changed = await patch(`/v1/subscriptions/${subscription.id}`, { cardId: newCard });
    await api.runRecurring();
    const recovered = await read(subscription.id);

    // Assess
    expect(deleted.status).toBe(204);
    expect(afterDelete).toEqual(subscription);
    expect(salesAfterRun).toBe(salesBefore);
    expect(salesAfterSecondRun).toBe(salesBefore);
    expect(unpaid).toMatchObject({
      status: 'unpaid',
      cardId,
      nextChargeAt: null,
      failedAttempts: 1,
      lastFailure: { code: 'card_removed', declineCode: null, transactionId: null, at: expect.any(String) },
    });
    expect(changed.json()).toMatchObject({ status: 'past_due', cardId: newCard, failedAttempts: 0 });
    expect(recovered).toMatchObject({ status: 'active', cardId: newCard, lastFailure: null });
    const charges = await chargesOf(subscription.id);
    expect(charges).toEqual([
      expect.objectContaining({ status: 'approved', amount: '7.00', cardId: newCard }),
    ]);
    expect(api.sandbox.ledger.chargesForInvoice(charges[0]?.id ?? '')).toHaveLength(1);
  });
});
