import {
  type ErrorAnswer,
  gatewayRequestTotal,
  NO_SUCH_CARD,
  startApi,
  type TestApi,
  type TransactionResource,
  unique,
} from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Function: token-sale handler', () => {
  it("charges the customer's stored card token (201) and records the card on the sale", async () => {
    // Prepare
    const { customerId, cardId, sale: cardSale } = await api.saveCard();
    const [cardCharge] = api.sandbox.ledger.chargesForInvoice(cardSale.id);

    // Act
    const response = await api.post('/v1/sales/token', {
      amount: '19.9',
      customerId,
      cardId,
      orderId: 'A-2002',
      description: 'Refill',
    });

    // Assess
    expect(response.status).toBe(201);
    const sale = response.json<TransactionResource>();
    expect(sale).toEqual({
      id: expect.stringMatching(/^txn_/),
      type: 'sale',
      status: 'approved',
      amount: '19.90',
      currency: 'USD',
      refundedAmount: '0.00',
      saleId: null,
      customerId,
      cardId,
      subscriptionId: null,
      card: { brand: 'VISA', last4: '1111', expDate: '1228' },
      orderId: 'A-2002',
      description: 'Refill',
      gateway: expect.objectContaining({ resultCode: '000', transactionId: expect.any(String) }),
      failureCode: null,
      cardSaveFailed: false,
      createdAt: expect.any(String),
    });
    expect(api.sandbox.ledger.chargesForInvoice(sale.id)).toEqual([
      expect.objectContaining({
        amount: 1990,
        tokenId: cardCharge?.tokenId,
        orderId: 'A-2002',
        customerId,
        endpoint: 'POST /rest/v2/transactions/sale',
      }),
    ]);
    expect(await api.store.transactions.get('shopA', sale.id)).toMatchObject({ status: 'approved', cardId });
  });

  it('answers a declined token sale 402 with declineCode and the declined transaction', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();

    // Act
    const response = await api.post('/v1/sales/token', { amount: '0.21', customerId, cardId });

    // Assess
    expect(response.status).toBe(402);
    expect(response.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'card_error', code: 'card_declined', declineCode: '012' },
      transaction: { status: 'declined', amount: '0.21', cardId },
    });
  });

  it('answers 404 for a card the customer does not have, and sends nothing', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const unknownCard = await api.post('/v1/sales/token', {
      amount: '1.00',
      customerId,
      cardId: 'card_doesNotExist',
    });
    const otherCustomer = await api.post('/v1/sales/token', {
      amount: '1.00',
      customerId: unique('cus'),
      cardId,
    });

    // Assess
    for (const response of [unknownCard, otherCustomer]) {
      expect(response.status).toBe(404);
      expect(response.json<ErrorAnswer>()).toEqual(NO_SUCH_CARD);
    }
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });

  it('cannot charge a deleted card (404), and the token stays untouched at the gateway', async () => {
    // Prepare
    const { customerId, cardId, sale } = await api.saveCard();
    const tokenId = api.sandbox.ledger.chargesForInvoice(sale.id)[0]?.tokenId;
    expect((await api.delete(`/v1/customers/${customerId}/cards/${cardId}`)).status).toBe(204);
    const chargesBefore = api.sandbox.ledger.chargeCount;

    // Act
    const response = await api.post('/v1/sales/token', { amount: '1.00', customerId, cardId });

    // Assess
    expect(response.status).toBe(404);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ code: 'resource_missing', param: 'cardId' });
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
    const token = api.sandbox.ledger.tokens.find((candidate) => candidate.tokenId === tokenId);
    expect(token).toMatchObject({ deleted: true, timesUsed: 0 });
  });

  it.each([
    ['no customerId', { customerId: undefined }, 'customerId'],
    ['no cardId', { cardId: undefined }, 'cardId'],
    ['a malformed cardId', { cardId: 'tok_123' }, 'cardId'],
    ['a jwt', { jwt: 'header.claims.signature' }, 'jwt'],
    ['an amount with three decimals', { amount: '2.999' }, 'amount'],
  ])('answers 400 for %s', async (_case, fields, param) => {
    // Prepare
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const response = await api.post('/v1/sales/token', {
      amount: '1.00',
      customerId: 'cus_1',
      cardId: 'card_1',
      ...fields,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', param });
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });
});
