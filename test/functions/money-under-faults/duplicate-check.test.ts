/**
 * Clearent's duplicate checking (clearent-gateway.md, "Duplicate checking"; contract, "Check every
 * answer"), through the real handlers. With its default answer, a sale matching an earlier one is
 * answered 200 with the EARLIER transaction ("Transaction Previously Approved"): an approval for another
 * invoice, which is not our charge. It is declined 402 with declineCode `duplicate`, and nothing is
 * recorded as charged for it. With respond-with-error on, it is Clearent's own 402 032 decline.
 */
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';

const SALE = 'POST /rest/v2/transactions/sale';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());
afterEach(() => api.sandbox.configure({ duplicateDetection: false }));

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

describe('Function: token-sale handler, the gateway checking duplicates', () => {
  it('declines a repeat answered with the earlier transaction (402 duplicate), recording no charge for it', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    api.sandbox.configure({
      duplicateDetection: { windowMs: 60_000, match: 'last-four-amount', respondWith: 'earlier-transaction' },
    });
    const body = { amount: '23.45', customerId, cardId };
    const first = await api.post('/v1/sales/token', body);
    const earlier = first.json<TransactionResource>();
    const chargesBefore = api.sandbox.ledger.chargeCount;
    const salesBefore = requestsTo(SALE);
    const key = unique('idem');

    // Act
    const repeat = await api.post('/v1/sales/token', body, { key });
    const replayed = await api.post('/v1/sales/token', body, { key });
    const id = repeat.json<ErrorAnswer>().transaction?.id ?? '';
    const refund = await api.post('/v1/refunds', { transactionId: id });

    // Assess
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(402);
    const answer = repeat.json<ErrorAnswer>();
    expect(answer.error).toEqual({
      type: 'card_error',
      code: 'card_declined',
      message: 'The gateway answered with an earlier transaction (duplicate check): nothing was charged',
      declineCode: 'duplicate',
    });
    expect(answer.transaction).toMatchObject({ status: 'declined', amount: '23.45', cardId });
    // The earlier transaction's id is not ours: nothing can refund it through this sale.
    expect(answer.transaction?.gateway?.transactionId).toBeUndefined();
    expect(id).not.toBe(earlier.id);
    expect(requestsTo(SALE)).toBe(salesBefore + 1);
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
    expect(api.sandbox.ledger.transactionsForInvoice(id)).toEqual([]);
    expect(api.sandbox.ledger.chargesForInvoice(earlier.id)).toHaveLength(1);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'declined',
      gateway: { resultCode: 'duplicate' },
    });
    expect(replayed.status).toBe(402);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(repeat.text);
    expect(refund.status).toBe(422);
    expect(refund.json<ErrorAnswer>().error.code).toBe('sale_not_refundable');
    expect(await api.store.transactions.get('shopA', earlier.id)).toMatchObject({
      status: 'approved',
      refunded: 0,
    });
  });

  it("declines a repeat answered with Clearent's duplicate error (402 032), recorded declined", async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    api.sandbox.configure({
      duplicateDetection: { windowMs: 60_000, match: 'last-four-amount', respondWith: 'error' },
    });
    const body = { amount: '23.46', customerId, cardId };
    await api.post('/v1/sales/token', body);
    const chargesBefore = api.sandbox.ledger.chargeCount;

    // Act
    const repeat = await api.post('/v1/sales/token', body);

    // Assess
    expect(repeat.status).toBe(402);
    const answer = repeat.json<ErrorAnswer>();
    expect(answer.error).toMatchObject({ type: 'card_error', code: 'card_declined', declineCode: '032' });
    const id = answer.transaction?.id ?? '';
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
    expect(api.sandbox.ledger.transactionsForInvoice(id)).toEqual([
      expect.objectContaining({ type: 'SALE', result: 'DECLINED', resultCode: '032', amount: 2346 }),
    ]);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({ status: 'declined' });
  });
});
