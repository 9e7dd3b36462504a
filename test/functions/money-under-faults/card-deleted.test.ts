/**
 * "Resolve before anything else" (contract, "Money movement under faults"): a pending token sale whose
 * card was deleted before the retry is still found and recorded, and can be refunded; the deleted card
 * only refuses a sale that would be *sent*, once the gateway is known not to have charged.
 */
import {
  type ErrorAnswer,
  NO_SUCH_CARD,
  startApi,
  type TestApi,
  type TransactionResource,
  unique,
} from '../support/api';
import { waitOutSettleWindow } from '../support/settle';

/** Short, so the test can wait it out; longer than a gateway call, as the configuration requires. */
const SETTLE_SECONDS = 2;
const CLIENT_TIMEOUT_MS = 500;
const SALE = 'POST /rest/v2/transactions/sale';

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ settleSeconds: SETTLE_SECONDS, clearentTimeoutMs: CLIENT_TIMEOUT_MS });
});
afterAll(() => api.close());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

describe('Function: token-sale handler, a pending sale whose card is deleted before the retry', () => {
  it('records the charge the gateway made (201), and a refund of it succeeds', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '33.00', customerId, cardId };
    api.sandbox.injectFault({ kind: 'reset-after-processing', match: { operation: 'sale' } });
    const lost = await api.post('/v1/sales/token', body, { key });
    const id = lost.json<ErrorAnswer>().transaction?.id ?? '';
    const salesBefore = requestsTo(SALE);

    // Act
    const deleted = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const retried = await api.post('/v1/sales/token', body, { key });
    const refund = await api.post('/v1/refunds', { transactionId: id });

    // Assess
    expect(lost.status).toBe(504);
    expect(lost.json<ErrorAnswer>().transaction).toMatchObject({ status: 'pending', cardId });
    expect(deleted.status).toBe(204);
    const [charge, ...others] = api.sandbox.ledger.chargesForInvoice(id);
    expect(others).toEqual([]);
    expect(charge).toMatchObject({ amount: 3300, invoice: id });
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({
      id,
      status: 'approved',
      amount: '33.00',
      cardId,
      gateway: { transactionId: charge?.id },
    });
    expect(requestsTo(SALE)).toBe(salesBefore);
    expect(refund.status).toBe(201);
    expect(refund.json<TransactionResource>()).toMatchObject({
      type: 'refund',
      status: 'approved',
      amount: '33.00',
      saleId: id,
    });
    expect(api.sandbox.ledger.refundedAmount(charge?.id ?? '')).toBe(3300);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'approved',
      refunded: 3300,
    });
    const token = api.sandbox.ledger.tokens.find((candidate) => candidate.tokenId === charge?.tokenId);
    expect(token).toMatchObject({ deleted: true });
  });

  it('answers 404 once the gateway is known not to have charged, sending nothing, and records not_charged', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '34.00', customerId, cardId };
    api.sandbox.injectFault({ kind: 'reset-before-processing', match: { operation: 'sale' } });
    const lost = await api.post('/v1/sales/token', body, { key });
    const id = lost.json<ErrorAnswer>().transaction?.id ?? '';
    const salesBefore = requestsTo(SALE);

    // Act
    const deleted = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const insideWindow = await api.post('/v1/sales/token', body, { key });
    await waitOutSettleWindow(api, id, SETTLE_SECONDS);
    const pastWindow = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(lost.status).toBe(504);
    expect(deleted.status).toBe(204);
    // Inside the window the sale may still be on its way: still pending, whatever happened to the card.
    expect(insideWindow.status).toBe(504);
    expect(insideWindow.json<ErrorAnswer>().transaction).toMatchObject({ id, status: 'pending' });
    // Past it, not found: a new send would need the card, which is gone.
    expect(pastWindow.status).toBe(404);
    expect(pastWindow.json<ErrorAnswer>()).toEqual(NO_SUCH_CARD);
    expect(requestsTo(SALE)).toBe(salesBefore);
    expect(api.sandbox.ledger.transactionsForInvoice(id)).toEqual([]);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'failed',
      failureCode: 'not_charged',
    });
  });
});
