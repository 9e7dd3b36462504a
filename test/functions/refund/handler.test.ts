import {
  type ErrorAnswer,
  gatewayRequestTotal,
  startApi,
  type TestApi,
  type TransactionResource,
} from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function approvedSale(amount: string): Promise<TransactionResource> {
  const response = await api.jwtSale(amount);
  expect(response.status).toBe(201);
  return response.json<TransactionResource>();
}

const gatewayIdOf = (sale: TransactionResource): string => sale.gateway?.transactionId ?? '';

describe('Function: refund handler', () => {
  it('refunds part of a sale (201), then what remains by default', async () => {
    // Prepare
    const sale = await approvedSale('100.00');

    // Act
    const partial = await api.post('/v1/refunds', {
      transactionId: sale.id,
      amount: '30.5',
      reason: 'damaged',
    });
    const rest = await api.post('/v1/refunds', { transactionId: sale.id });

    // Assess
    expect(partial.status).toBe(201);
    expect(partial.json<TransactionResource>()).toEqual({
      id: expect.stringMatching(/^txn_/),
      type: 'refund',
      status: 'approved',
      amount: '30.50',
      currency: 'USD',
      refundedAmount: '0.00',
      saleId: sale.id,
      customerId: null,
      cardId: null,
      subscriptionId: null,
      card: sale.card,
      orderId: null,
      description: null,
      gateway: expect.objectContaining({ resultCode: '000', transactionId: expect.any(String) }),
      failureCode: null,
      cardSaveFailed: false,
      createdAt: expect.any(String),
    });
    expect(rest.status).toBe(201);
    expect(rest.json<TransactionResource>()).toMatchObject({
      type: 'refund',
      amount: '69.50',
      saleId: sale.id,
    });
    const refunds = api.sandbox.ledger.transactions.filter((t) => t.originalId === gatewayIdOf(sale));
    expect(refunds).toEqual([
      expect.objectContaining({
        type: 'REFUND',
        amount: 3050,
        invoice: partial.json<TransactionResource>().id,
      }),
      expect.objectContaining({ type: 'REFUND', amount: 6950, invoice: rest.json<TransactionResource>().id }),
    ]);
    expect(api.sandbox.ledger.refundedAmount(gatewayIdOf(sale))).toBe(10000);
    const read = await api.get(`/v1/transactions/${sale.id}`);
    expect(read.json<TransactionResource>()).toMatchObject({ amount: '100.00', refundedAmount: '100.00' });
  });

  it('answers 422 for a refund above what remains, and for a fully refunded sale, sending nothing', async () => {
    // Prepare
    const sale = await approvedSale('10.00');
    await api.post('/v1/refunds', { transactionId: sale.id, amount: '4.00' });
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const tooMuch = await api.post('/v1/refunds', { transactionId: sale.id, amount: '6.01' });
    await api.post('/v1/refunds', { transactionId: sale.id });
    const requestsAfterRest = gatewayRequestTotal(api.sandbox);
    const nothingLeft = await api.post('/v1/refunds', { transactionId: sale.id });

    // Assess
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json<ErrorAnswer>()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'amount_exceeds_refundable',
        message: 'The refund exceeds what remains refundable on this sale (6.00)',
        param: 'amount',
      },
    });
    expect(requestsAfterRest).toBe(requestsBefore + 1);
    expect(nothingLeft.status).toBe(422);
    expect(nothingLeft.json<ErrorAnswer>().error.code).toBe('amount_exceeds_refundable');
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsAfterRest);
    expect(await api.store.transactions.get('shopA', sale.id)).toMatchObject({ refunded: 1000 });
  });

  it('answers 422 for a refund of a declined sale', async () => {
    // Prepare
    const declined = (await api.jwtSale('0.21')).json<ErrorAnswer>().transaction;
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const response = await api.post('/v1/refunds', { transactionId: declined?.id });

    // Assess
    expect(response.status).toBe(422);
    expect(response.json<ErrorAnswer>().error).toEqual({
      type: 'invalid_request_error',
      code: 'sale_not_refundable',
      message: 'Only an approved sale can be refunded; this one is declined',
      param: 'transactionId',
    });
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });

  it('answers 404 for an unknown transaction and for a refund given as the sale', async () => {
    // Prepare
    const sale = await approvedSale('8.00');
    const refund = (
      await api.post('/v1/refunds', { transactionId: sale.id, amount: '1.00' })
    ).json<TransactionResource>();

    // Act
    const unknown = await api.post('/v1/refunds', { transactionId: 'txn_doesNotExist' });
    const ofRefund = await api.post('/v1/refunds', { transactionId: refund.id });

    // Assess
    for (const response of [unknown, ofRefund]) {
      expect(response.status).toBe(404);
      expect(response.json<ErrorAnswer>().error).toEqual({
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: 'No such transaction',
        param: 'transactionId',
      });
    }
  });

  it('replays a refund under the same key without refunding twice', async () => {
    // Prepare
    const sale = await approvedSale('20.00');
    const body = { transactionId: sale.id, amount: '5.00' };

    // Act
    const first = await api.post('/v1/refunds', body, { key: `refund-${sale.id}` });
    const replayed = await api.post('/v1/refunds', body, { key: `refund-${sale.id}` });

    // Assess
    expect(first.status).toBe(201);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(first.text);
    expect(api.sandbox.ledger.refundedAmount(gatewayIdOf(sale))).toBe(500);
  });

  it.each([
    ['no transactionId', { transactionId: undefined }, 'transactionId'],
    ['a zero amount', { amount: '0' }, 'amount'],
    ['an amount with three decimals', { amount: '1.001' }, 'amount'],
    ['an unknown field', { amount: '1.00', reasn: 'typo' }, 'reasn'],
  ])('answers 400 for %s', async (_case, fields, param) => {
    // Prepare
    const sale = await approvedSale('3.00');
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const response = await api.post('/v1/refunds', { transactionId: sale.id, ...fields });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', param });
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });
});
