import {
  type CardResource,
  type ErrorAnswer,
  gatewayRequestTotal,
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

describe('Function: jwt-sale handler', () => {
  it('charges the JWT (201), saves the card to the customer and lists it', async () => {
    // Prepare
    const customerId = unique('cus');

    // Act
    const response = await api.jwtSale('25.5', { customerId, orderId: 'A-1001', description: 'Two mugs' });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    const sale = response.json<TransactionResource>();
    const [charge, ...others] = api.sandbox.ledger.chargesForInvoice(sale.id);
    expect(others).toEqual([]);
    expect(charge).toMatchObject({
      amount: 2550,
      invoice: sale.id,
      orderId: 'A-1001',
      customerId,
      tokenCreated: true,
      endpoint: 'POST /rest/v2/mobile/transactions/sale',
    });
    expect(sale).toEqual({
      id: expect.stringMatching(/^txn_[0-9A-Za-z]+$/),
      type: 'sale',
      status: 'approved',
      amount: '25.50',
      currency: 'USD',
      refundedAmount: '0.00',
      saleId: null,
      customerId,
      cardId: `card_${sale.id.slice('txn_'.length)}`,
      subscriptionId: null,
      card: { brand: 'VISA', last4: '1111', expDate: '1228' },
      orderId: 'A-1001',
      description: 'Two mugs',
      gateway: {
        transactionId: charge?.id,
        authorizationCode: charge?.authorizationCode,
        resultCode: '000',
        message: 'Transaction approved',
        exchangeId: expect.stringMatching(/^ID-clearent-/),
      },
      failureCode: null,
      cardSaveFailed: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const cards = await api.get(`/v1/customers/${customerId}/cards`);
    expect(cards.status).toBe(200);
    expect(cards.json<{ data: CardResource[] }>().data).toEqual([
      {
        id: sale.cardId,
        customerId,
        brand: 'VISA',
        last4: '1111',
        expDate: '1228',
        createdAt: sale.createdAt,
      },
    ]);
    const stored = await api.store.cards.get('shopA', customerId, sale.cardId ?? '');
    expect(stored).toMatchObject({ status: 'active', tokenId: charge?.tokenId });
    expect(cards.text).not.toContain(charge?.tokenId);
  });

  it('neither creates a token nor saves a card when saveCard is false, or without a customer', async () => {
    // Prepare
    const customerId = unique('cus');

    // Act
    const unsaved = await api.jwtSale('99', { customerId, saveCard: false });
    const anonymous = await api.jwtSale('10.00');

    // Assess
    expect(unsaved.status).toBe(201);
    expect(unsaved.json<TransactionResource>()).toMatchObject({ amount: '99.00', customerId, cardId: null });
    expect(anonymous.status).toBe(201);
    expect(anonymous.json<TransactionResource>()).toMatchObject({ customerId: null, cardId: null });
    for (const sale of [unsaved, anonymous]) {
      const [charge] = api.sandbox.ledger.chargesForInvoice(sale.json<TransactionResource>().id);
      expect(charge).toMatchObject({ tokenCreated: false, tokenId: undefined });
    }
    const cards = await api.get(`/v1/customers/${customerId}/cards`);
    expect(cards.json<{ data: CardResource[] }>().data).toEqual([]);
  });

  it('answers a decline 402 with the declined transaction, stores it, and replays it unsent', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '0.21', jwt: api.jwt() };
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const declined = await api.post('/v1/sales/jwt', body, { key });
    const replayed = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(declined.status).toBe(402);
    const answer = declined.json<ErrorAnswer>();
    expect(answer.error).toEqual({
      type: 'card_error',
      code: 'card_declined',
      message: 'Not Sufficient Funds',
      declineCode: '012',
    });
    expect(answer.transaction).toMatchObject({ status: 'declined', amount: '0.21', cardId: null });
    expect(answer.transaction?.gateway).toMatchObject({ resultCode: '012' });
    expect(replayed.status).toBe(402);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(declined.text);
    expect(declined.headers['idempotent-replayed']).toBeUndefined();
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore + 1);
    const id = answer.transaction?.id ?? '';
    expect(api.sandbox.ledger.transactions.filter((t) => t.invoice === id)).toEqual([
      expect.objectContaining({ type: 'SALE', result: 'DECLINED', amount: 21 }),
    ]);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({ status: 'declined', amount: 21 });
  });

  it.each([
    ['three decimals', { amount: '1.005' }, 'amount'],
    ['zero', { amount: '0.00' }, 'amount'],
    ['over the maximum', { amount: '100000.00' }, 'amount'],
    ['a number', { amount: 25.5 }, 'amount'],
    ['negative', { amount: '-1.00' }, 'amount'],
    ['an unknown field', { amout: '1.00' }, 'amout'],
    ['saveCard without a customer', { saveCard: true }, 'saveCard'],
    ['an empty jwt', { jwt: '' }, 'jwt'],
  ])('answers 400 for %s, before anything reaches the gateway', async (_case, fields, param) => {
    // Prepare
    const requestsBefore = gatewayRequestTotal(api.sandbox);
    const itemsBefore = await api.store.itemCount();

    // Act
    const response = await api.jwtSale('1.00', fields);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'validation_error',
      param,
    });
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
    expect(await api.store.itemCount()).toBe(itemsBefore);
  });

  it.each([
    ['a JSON array', '[{"amount":"1.00"}]'],
    ['a JSON string', '"amount"'],
    ['null', 'null'],
    ['not JSON', 'amount=1.00'],
    ['empty', ''],
  ])('answers 400 invalid_json for a body that is %s', async (_case, rawBody) => {
    // Act
    const response = await api.post('/v1/sales/jwt', undefined, { rawBody });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_json',
        message: 'The body must be a JSON object',
      },
    });
  });

  it('answers 413 for a body over 64 KB, and reads one of exactly 64 KB, charging nothing', async () => {
    // Prepare
    const requestsBefore = gatewayRequestTotal(api.sandbox);
    const ofBytes = (bytes: number) => {
      const prefix = `{"amount":"1.00","jwt":"${api.jwt()}","filler":"`;
      return `${prefix}${'x'.repeat(bytes - prefix.length - 2)}"}`;
    };

    // Act
    const atLimit = await api.post('/v1/sales/jwt', undefined, { rawBody: ofBytes(64 * 1024) });
    const overLimit = await api.post('/v1/sales/jwt', undefined, { rawBody: ofBytes(64 * 1024 + 1) });

    // Assess
    expect(atLimit.status).toBe(400);
    expect(atLimit.json<ErrorAnswer>().error).toMatchObject({ code: 'validation_error', param: 'filler' });
    expect(overLimit.status).toBe(413);
    expect(overLimit.json<ErrorAnswer>().error).toEqual({
      type: 'invalid_request_error',
      code: 'payload_too_large',
      message: 'The body must be at most 65536 bytes',
    });
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });
});
