/**
 * Unknown gateway outcomes through the real handlers: a sale or refund whose answer never comes is
 * stored pending and answered 504 `outcome_unknown` with Retry-After; the retry with the same
 * Idempotency-Key resolves it at the gateway (by our transaction id, sent as `invoice`) and never
 * charges twice. It sends again only once the search found nothing and the settle window has passed.
 */
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from './support/api';
import { expectRetryAfter, lastSentAt, timed, waitOutSettleWindow } from './support/settle';

/** Short, so the `late` fault outlasts it. */
const CLIENT_TIMEOUT_MS = 500;
/** Short, so a test can wait it out; longer than a gateway call, as the configuration requires. */
const SETTLE_SECONDS = 2;
const LATE_MS = 1_500;
const MOBILE_SALE = 'POST /rest/v2/mobile/transactions/sale';
const SEARCH = 'GET /rest/v2/transactions';

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ clearentTimeoutMs: CLIENT_TIMEOUT_MS, settleSeconds: SETTLE_SECONDS });
});
afterAll(() => api.close());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

describe('Function: jwt-sale handler, unknown gateway outcomes', () => {
  it('answers 504 pending when the answer is late, then resolves the retry without charging again', async () => {
    // Prepare
    const key = unique('idem');
    const customerId = unique('cus');
    const body = { amount: '30.00', jwt: api.jwt(), customerId, orderId: 'A-504' };
    api.sandbox.injectFault({ kind: 'late', delayMs: LATE_MS, match: { operation: 'mobile-sale' } });

    // Act
    const { result: timedOut, ...span } = await timed(() => api.post('/v1/sales/jwt', body, { key }));
    const pendingId = timedOut.json<ErrorAnswer>().transaction?.id ?? '';
    const storedPending = await api.store.transactions.get('shopA', pendingId);
    const refundWhilePending = await api.post('/v1/refunds', { transactionId: pendingId });
    const retried = await api.post('/v1/sales/jwt', body, { key });
    const replayed = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(timedOut.status).toBe(504);
    expect(timedOut.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: {
        status: 'pending',
        amount: '30.00',
        customerId,
        cardId: null,
        failureCode: null,
        cardSaveFailed: false,
      },
    });
    expectRetryAfter(timedOut, await lastSentAt(api, pendingId), SETTLE_SECONDS, span);
    expect(storedPending).toMatchObject({ status: 'pending', amount: 3000, sendCount: 1 });
    expect(refundWhilePending.status).toBe(422);
    expect(refundWhilePending.json<ErrorAnswer>().error.code).toBe('sale_not_refundable');
    expect(retried.status).toBe(201);
    const sale = retried.json<TransactionResource>();
    expect(sale).toMatchObject({ id: pendingId, status: 'approved', amount: '30.00', orderId: 'A-504' });
    const charges = api.sandbox.ledger.chargesForInvoice(pendingId);
    expect(charges).toEqual([
      expect.objectContaining({ amount: 3000, orderId: 'A-504', tokenCreated: true }),
    ]);
    expect(sale.gateway?.transactionId).toBe(charges[0]?.id);
    // Clearent's search does not return the token the sale created: approved, and the card said unsaved.
    expect(sale).toMatchObject({ cardId: null, cardSaveFailed: true });
    const cards = await api.get(`/v1/customers/${customerId}/cards`);
    expect(cards.json<{ data: unknown[] }>().data).toEqual([]);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(retried.text);
    expect(await api.store.transactions.get('shopA', pendingId)).toMatchObject({ status: 'approved' });
  });

  it('records a late decline found on retry as the decline (402), never sending the sale again', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '0.21', jwt: api.jwt() };
    const mobileSalesBefore = api.sandbox.ledger.requestCounts[MOBILE_SALE] ?? 0;
    api.sandbox.injectFault({ kind: 'late', delayMs: LATE_MS, match: { operation: 'mobile-sale' } });

    // Act
    const timedOut = await api.post('/v1/sales/jwt', body, { key });
    const retried = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(timedOut.status).toBe(504);
    const id = timedOut.json<ErrorAnswer>().transaction?.id;
    expect(retried.status).toBe(402);
    expect(retried.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'card_error', declineCode: '012' },
      transaction: { id, status: 'declined' },
    });
    expect(api.sandbox.ledger.requestCounts[MOBILE_SALE]).toBe(mobileSalesBefore + 1);
  });

  it('sends a sale dropped before processing again, with the same JWT, only after the settle window', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '31.00', jwt: api.jwt() };
    const mobileSalesBefore = requestsTo(MOBILE_SALE);
    api.sandbox.injectFault({ kind: 'reset-before-processing', match: { operation: 'mobile-sale' } });

    // Act
    const { result: dropped, ...first } = await timed(() => api.post('/v1/sales/jwt', body, { key }));
    const pendingId = dropped.json<ErrorAnswer>().transaction?.id ?? '';
    const sentAt = await lastSentAt(api, pendingId);
    const searchesBefore = requestsTo(SEARCH);
    const { result: insideWindow, ...second } = await timed(() => api.post('/v1/sales/jwt', body, { key }));
    const sentInsideWindow = requestsTo(MOBILE_SALE) - mobileSalesBefore;
    const searchedInsideWindow = requestsTo(SEARCH) - searchesBefore;
    await waitOutSettleWindow(api, pendingId, SETTLE_SECONDS);
    const retried = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(dropped.status).toBe(504);
    expect(dropped.json<ErrorAnswer>().transaction).toMatchObject({ status: 'pending', amount: '31.00' });
    expectRetryAfter(dropped, sentAt, SETTLE_SECONDS, first);
    // Searched (nothing found), but the sale may still be on its way: nothing is sent yet.
    expect(insideWindow.status).toBe(504);
    expect(insideWindow.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { id: pendingId, status: 'pending' },
    });
    expectRetryAfter(insideWindow, sentAt, SETTLE_SECONDS, second);
    expect(searchedInsideWindow).toBe(1);
    expect(sentInsideWindow).toBe(1);
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({ id: pendingId, status: 'approved' });
    expect(api.sandbox.ledger.chargesForInvoice(pendingId)).toEqual([
      expect.objectContaining({ amount: 3100, endpoint: MOBILE_SALE }),
    ]);
    expect(requestsTo(MOBILE_SALE)).toBe(mobileSalesBefore + 2);
    expect(await api.store.transactions.get('shopA', pendingId)).toMatchObject({
      status: 'approved',
      sendCount: 2,
    });
  });
});

describe('Function: token-sale and refund handlers, unknown gateway outcomes', () => {
  it('resolves a late token sale on retry with one charge', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '12.34', customerId, cardId };
    api.sandbox.injectFault({ kind: 'late', delayMs: LATE_MS, match: { operation: 'sale' } });

    // Act
    const timedOut = await api.post('/v1/sales/token', body, { key });
    const retried = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(timedOut.status).toBe(504);
    const id = timedOut.json<ErrorAnswer>().transaction?.id ?? '';
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({ id, status: 'approved', cardId });
    expect(api.sandbox.ledger.chargesForInvoice(id)).toEqual([expect.objectContaining({ amount: 1234 })]);
  });

  it('keeps a late refund held, then resolves it on retry without refunding twice', async () => {
    // Prepare
    const { sale } = await api.saveCard();
    const key = unique('idem');
    const body = { transactionId: sale.id, amount: '2.00' };
    api.sandbox.injectFault({ kind: 'late', delayMs: LATE_MS, match: { operation: 'refund' } });

    // Act
    const timedOut = await api.post('/v1/refunds', body, { key });
    const saleWhilePending = await api.store.transactions.get('shopA', sale.id);
    const other = await api.post('/v1/refunds', { transactionId: sale.id, amount: '3.01' });
    const retried = await api.post('/v1/refunds', body, { key });

    // Assess
    expect(timedOut.status).toBe(504);
    expect(timedOut.json<ErrorAnswer>().transaction).toMatchObject({ type: 'refund', status: 'pending' });
    expect(saleWhilePending?.refunded).toBe(200);
    // The pending refund still holds its 2.00: only 3.00 of the 5.00 sale remains refundable.
    expect(other.status).toBe(422);
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({ status: 'approved', amount: '2.00' });
    expect(api.sandbox.ledger.refundedAmount(sale.gateway?.transactionId ?? '')).toBe(200);
    const read = await api.get(`/v1/transactions/${sale.id}`);
    expect(read.json<TransactionResource>().refundedAmount).toBe('2.00');
  });
});
