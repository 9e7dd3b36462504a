import { type ErrorAnswer, startApi, type TestApi, type TransactionResource } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Function: refund handler, racing refunds', () => {
  it('lets exactly three of ten concurrent 30% refunds through, never more than the sale', async () => {
    // Prepare
    const sale = (await api.jwtSale('100.00')).json<TransactionResource>();
    const gatewaySaleId = sale.gateway?.transactionId ?? '';

    // Act
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => api.post('/v1/refunds', { transactionId: sale.id, amount: '30.00' })),
    );

    // Assess
    const approved = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status === 422);
    expect(approved).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const response of approved) {
      expect(response.json<TransactionResource>()).toMatchObject({
        type: 'refund',
        status: 'approved',
        amount: '30.00',
        saleId: sale.id,
      });
    }
    for (const response of refused) {
      expect(response.json<ErrorAnswer>().error).toMatchObject({
        type: 'invalid_request_error',
        code: 'amount_exceeds_refundable',
      });
    }
    expect(api.sandbox.ledger.refundedAmount(gatewaySaleId)).toBe(9000);
    const refundsSent = api.sandbox.ledger.transactions.filter((t) => t.originalId === gatewaySaleId);
    expect(refundsSent).toHaveLength(3);
    expect(await api.store.transactions.get('shopA', sale.id)).toMatchObject({
      amount: 10000,
      refunded: 9000,
    });
    const read = await api.get(`/v1/transactions/${sale.id}`);
    expect(read.json<TransactionResource>().refundedAmount).toBe('90.00');
  });

  it('refunds what remains (10%) after the race, and nothing more', async () => {
    // Prepare
    const sale = (await api.jwtSale('50.00')).json<TransactionResource>();
    await Promise.all(
      Array.from({ length: 5 }, () => api.post('/v1/refunds', { transactionId: sale.id, amount: '15.00' })),
    );

    // Act
    const rest = await api.post('/v1/refunds', { transactionId: sale.id });
    const beyond = await api.post('/v1/refunds', { transactionId: sale.id, amount: '0.01' });

    // Assess
    expect(rest.status).toBe(201);
    expect(rest.json<TransactionResource>().amount).toBe('5.00');
    expect(beyond.status).toBe(422);
    expect(api.sandbox.ledger.refundedAmount(sale.gateway?.transactionId ?? '')).toBe(5000);
  });
});
