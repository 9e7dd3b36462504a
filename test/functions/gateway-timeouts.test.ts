/**
 * Unknown gateway outcomes through the real handlers: a sale or refund whose answer never comes is
 * stored pending and answered 504; the retry with the same Idempotency-Key resolves it at the gateway
 * (by our transaction id, sent as `invoice`) and never charges twice.
 */
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from './support/api';

/** The handlers read it when they load (at their first request): short, so the `late` fault outlasts it. */
const CLIENT_TIMEOUT_MS = '500';
const LATE_MS = 1_500;
const MOBILE_SALE = 'POST /rest/v2/mobile/transactions/sale';

let api: TestApi;
const timeoutBefore = process.env.CLEARENT_TIMEOUT_MS;

beforeAll(async () => {
  process.env.CLEARENT_TIMEOUT_MS = CLIENT_TIMEOUT_MS;
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  if (timeoutBefore === undefined) delete process.env.CLEARENT_TIMEOUT_MS;
  else process.env.CLEARENT_TIMEOUT_MS = timeoutBefore;
});

describe('Function: jwt-sale handler, unknown gateway outcomes', () => {
  it('answers 504 pending when the answer is late, then resolves the retry without charging again', async () => {
    // Prepare
    const key = unique('idem');
    const customerId = unique('cus');
    const body = { amount: '30.00', jwt: api.jwt(), customerId, orderId: 'A-504' };
    api.sandbox.injectFault({ kind: 'late', delayMs: LATE_MS, match: { operation: 'mobile-sale' } });

    // Act
    const timedOut = await api.post('/v1/sales/jwt', body, { key });
    const pendingId = timedOut.json<ErrorAnswer>().transaction?.id ?? '';
    const storedPending = await api.store.transactions.get('shopA', pendingId);
    const refundWhilePending = await api.post('/v1/refunds', { transactionId: pendingId });
    const retried = await api.post('/v1/sales/jwt', body, { key });
    const replayed = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(timedOut.status).toBe(504);
    expect(timedOut.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'gateway_timeout' },
      transaction: { status: 'pending', amount: '30.00', customerId, cardId: null },
    });
    expect(storedPending).toMatchObject({ status: 'pending', amount: 3000 });
    expect(refundWhilePending.status).toBe(422);
    expect(refundWhilePending.json<ErrorAnswer>().error.code).toBe('sale_not_refundable');
    expect(retried.status).toBe(201);
    const sale = retried.json<TransactionResource>();
    expect(sale).toMatchObject({ id: pendingId, status: 'approved', amount: '30.00', orderId: 'A-504' });
    const charges = api.sandbox.ledger.chargesForInvoice(pendingId);
    expect(charges).toEqual([expect.objectContaining({ amount: 3000, orderId: 'A-504' })]);
    expect(sale.gateway?.transactionId).toBe(charges[0]?.id);
    // The gateway's record carried the token it created: the card is saved as on a direct approval.
    expect(sale.cardId).toBe(`card_${pendingId.slice('txn_'.length)}`);
    const card = await api.store.cards.get('shopA', customerId, sale.cardId ?? '');
    expect(card).toMatchObject({ status: 'active', tokenId: charges[0]?.tokenId });
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

  it('sends a sale dropped before processing again on retry, with the same JWT, charging once', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '31.00', jwt: api.jwt() };
    const mobileSalesBefore = api.sandbox.ledger.requestCounts[MOBILE_SALE] ?? 0;
    api.sandbox.injectFault({ kind: 'reset-before-processing', match: { operation: 'mobile-sale' } });

    // Act
    const dropped = await api.post('/v1/sales/jwt', body, { key });
    const pendingId = dropped.json<ErrorAnswer>().transaction?.id ?? '';
    const chargedBeforeRetry = api.sandbox.ledger.chargesForInvoice(pendingId).length;
    const retried = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(dropped.status).toBe(504);
    expect(dropped.json<ErrorAnswer>().transaction).toMatchObject({ status: 'pending', amount: '31.00' });
    expect(chargedBeforeRetry).toBe(0);
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({ id: pendingId, status: 'approved' });
    expect(api.sandbox.ledger.chargesForInvoice(pendingId)).toEqual([
      expect.objectContaining({ amount: 3100, endpoint: MOBILE_SALE }),
    ]);
    expect(api.sandbox.ledger.requestCounts[MOBILE_SALE]).toBe(mobileSalesBefore + 2);
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
