import {
  GatewayAuthenticationError,
  GatewayInvalidRequestError,
  GatewayUnavailableError,
} from '../../../shared/clearent/errors';
import { parseAmount } from '../../../shared/money';
import { runIdempotent } from '../../../shared/payments/idempotent-operation';
import { type JwtSaleInput, jwtSale } from '../../../shared/payments/sale';
import { timeoutAfterCharging, timeoutBeforeCharging } from '../../support/fake-gateway';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJjYXJkIjoiZmFrZSJ9.c2lnbmF0dXJl';

function sell(ports: TestPorts, overrides: Partial<JwtSaleInput> = {}, key = 'key-1', hash = 'hash-1') {
  const input: JwtSaleInput = {
    storefrontId: 'sf_a',
    amount: parseAmount('25.55'),
    jwt: JWT,
    customerId: 'cus_42',
    saveCard: true,
    orderId: 'A-1001',
    ...overrides,
  };
  return runIdempotent(
    ports,
    { storefrontId: 'sf_a', key, route: 'POST /v1/sales/jwt', requestHash: hash, idPrefix: 'txn' },
    jwtSale(ports, input),
  );
}

const bodyOf = (response: { body: string }) => JSON.parse(response.body);

describe('Function: jwtSale', () => {
  it('charges the JWT once, saves the card it created, and answers 201 with the transaction', async () => {
    // Prepare
    const ports = memoryPorts();

    // Act
    const response = await sell(ports);

    // Assess
    expect(response.statusCode).toBe(201);
    const body = bodyOf(response);
    expect(body).toMatchObject({
      id: 'txn_000001',
      type: 'sale',
      status: 'approved',
      amount: '25.55',
      currency: 'USD',
      refundedAmount: '0.00',
      customerId: 'cus_42',
      cardId: 'card_000001',
      orderId: 'A-1001',
      card: { brand: 'VISA', last4: '1111', expDate: '1228' },
      gateway: { resultCode: '000', authorizationCode: 'TAS001' },
    });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'jwtSale',
        request: expect.objectContaining({
          jwt: JWT,
          amount: 2555,
          createToken: true,
          invoice: 'txn_000001',
          orderId: 'A-1001',
        }),
      },
    ]);
    const card = await ports.cards.get('sf_a', 'cus_42', 'card_000001');
    expect(card).toMatchObject({ tokenId: '1100000900023211111', status: 'active', last4: '1111' });
    expect((await ports.transactions.get('sf_a', 'txn_000001'))?.status).toBe('approved');
  });

  it('does not ask for a token or save a card when saveCard is false', async () => {
    const ports = memoryPorts();

    const response = await sell(ports, { saveCard: false });

    expect(bodyOf(response).cardId).toBeNull();
    expect(ports.fakeGateway.calls[0]).toMatchObject({ request: { createToken: false } });
    expect(ports.cards.items.size).toBe(0);
  });

  it('answers a decline with 402, stores it, and replays it without charging again', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script({
      outcome: 'declined',
      resultCode: '021',
      message: 'Declined - bad security code',
    });

    const first = await sell(ports);
    const replay = await sell(ports);

    expect(first.statusCode).toBe(402);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'card_error', code: 'card_declined', declineCode: '021' },
      transaction: { status: 'declined', amount: '25.55', cardId: null },
    });
    expect(replay).toEqual({ ...first, replayed: true });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
    expect(ports.cards.items.size).toBe(0);
  });

  it('answers 504 pending on a timeout, then resolves the retry at the gateway without a second charge', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutAfterCharging());

    const first = await sell(ports);
    const retry = await sell(ports);

    expect(first.statusCode).toBe(504);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error' },
      transaction: { status: 'pending' },
    });
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({ id: 'txn_000001', status: 'approved', cardId: 'card_000001' });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
    expect(ports.fakeGateway.calls[1]).toEqual({
      operation: 'searchTransactions',
      request: { invoice: 'txn_000001' },
    });
    expect(ports.cards.items.size).toBe(1);
  });

  it('sends the sale again, same JWT and invoice, when the gateway has no record of the timed-out one', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutBeforeCharging());

    await sell(ports);
    const retry = await sell(ports);

    expect(retry.statusCode).toBe(201);
    const sales = ports.fakeGateway.calls.filter((call) => call.operation === 'jwtSale');
    expect(sales).toHaveLength(2);
    expect(sales.map((call) => call.request)).toEqual([
      expect.objectContaining({ jwt: JWT, invoice: 'txn_000001' }),
      expect.objectContaining({ jwt: JWT, invoice: 'txn_000001' }),
    ]);
  });

  it('stays pending while the gateway lookup itself fails', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutAfterCharging());
    await sell(ports);
    ports.fakeGateway.searchTransactions = async () => {
      throw new GatewayUnavailableError('down');
    };

    const retry = await sell(ports);

    expect(retry.statusCode).toBe(504);
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
    expect((await ports.transactions.get('sf_a', 'txn_000001'))?.status).toBe('pending');
  });

  it('answers 502 failed when Clearent refuses our credentials, and replays that answer', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(new GatewayAuthenticationError('401'));

    const first = await sell(ports);
    const replay = await sell(ports);

    expect(first.statusCode).toBe(502);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'gateway_authentication_failed' },
      transaction: { status: 'failed' },
    });
    expect(replay).toEqual({ ...first, replayed: true });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
  });

  it('answers 502 when the gateway is unavailable, and lets a retry under the same key look it up, then charge', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(new GatewayUnavailableError('503'));

    const first = await sell(ports);
    const retry = await sell(ports);

    expect(first.statusCode).toBe(502);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'gateway_unavailable' },
      transaction: { id: 'txn_000001', status: 'failed' },
    });
    expect(retry).toMatchObject({ statusCode: 201, replayed: false });
    expect(bodyOf(retry)).toMatchObject({ id: 'txn_000001', status: 'approved' });
    expect(ports.fakeGateway.calls.map((call) => call.operation)).toEqual([
      'jwtSale',
      'searchTransactions',
      'jwtSale',
    ]);
  });

  it('records, and does not charge again, a sale Clearent made despite answering 5xx', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(new GatewayUnavailableError('500'));
    await sell(ports);
    ports.fakeGateway.recorded.set('txn_000001', {
      outcome: 'approved',
      type: 'SALE',
      transactionId: '777',
      resultCode: '000',
      message: 'Transaction approved',
      card: { last4: '1111' },
    });

    const retry = await sell(ports);

    expect(bodyOf(retry)).toMatchObject({
      id: 'txn_000001',
      status: 'approved',
      gateway: { transactionId: '777' },
    });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
  });

  it('refuses the same key with another body (422) and while the first attempt runs (409)', async () => {
    const ports = memoryPorts();
    await sell(ports);

    await expect(sell(ports, {}, 'key-1', 'another-hash')).rejects.toMatchObject({
      statusCode: 422,
      type: 'idempotency_error',
    });
    ports.idempotency.records.set('sf_a/key-2', {
      storefrontId: 'sf_a',
      key: 'key-2',
      route: 'POST /v1/sales/jwt',
      requestHash: 'hash-1',
      resourceId: 'txn_running',
      state: 'locked',
      lockedUntil: ports.clock.now().getTime() + 5_000,
    });
    await expect(sell(ports, {}, 'key-2')).rejects.toMatchObject({
      statusCode: 409,
      type: 'idempotency_error',
    });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
  });

  it('takes over an attempt that died holding the lock, and looks the sale up before resending', async () => {
    const ports = memoryPorts();
    ports.idempotency.records.set('sf_a/key-1', {
      storefrontId: 'sf_a',
      key: 'key-1',
      route: 'POST /v1/sales/jwt',
      requestHash: 'hash-1',
      resourceId: 'txn_dead',
      state: 'locked',
      lockedUntil: ports.clock.now().getTime() - 1,
    });
    ports.fakeGateway.recorded.set('txn_dead', {
      outcome: 'approved',
      type: 'SALE',
      transactionId: '555',
      resultCode: '000',
      message: 'Transaction approved',
      card: { last4: '4242' },
      tokenId: '1100000000000004242',
    });

    const response = await sell(ports);

    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({ id: 'txn_dead', status: 'approved', cardId: 'card_dead' });
    expect(ports.fakeGateway.count('jwtSale')).toBe(0);
  });
});

describe('Function: jwtSale, when Clearent rejects the request', () => {
  it("answers 502 with Clearent's reason and records the sale as failed", async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(
      new GatewayInvalidRequestError(
        'Clearent rejected the request (HTTP 400, result-code 041): Mobile JWT has already been used',
      ),
    );

    const response = await sell(ports);

    expect(response.statusCode).toBe(502);
    expect(bodyOf(response).error).toMatchObject({ type: 'gateway_error', code: 'gateway_rejected_request' });
    expect(bodyOf(response).error.message).toContain('Mobile JWT has already been used');
    expect((await ports.transactions.get('sf_a', 'txn_000001'))?.status).toBe('failed');
  });
});
