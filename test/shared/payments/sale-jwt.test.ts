import {
  GatewayAuthenticationError,
  GatewayInvalidRequestError,
  GatewayUnavailableError,
} from '../../../shared/clearent/errors';
import { parseAmount } from '../../../shared/money';
import { runIdempotent } from '../../../shared/payments/idempotent-operation';
import { type JwtSaleInput, jwtSale } from '../../../shared/payments/sale';
import {
  notReached,
  serverErrorAfterCharging,
  timeoutAfterCharging,
  timeoutBeforeCharging,
} from '../../support/fake-gateway';
import { memoryPorts, SETTLE_WINDOW_MS, type TestPorts } from '../../support/memory-ports';

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
const operations = (ports: TestPorts) => ports.fakeGateway.calls.map((call) => call.operation);
const stored = (ports: TestPorts, id = 'txn_000001') => ports.transactions.get('sf_a', id);

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
      failureCode: null,
      cardSaveFailed: false,
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
    expect(await stored(ports)).toMatchObject({
      status: 'approved',
      sendCount: 1,
      lastSentAt: '2026-11-24T10:00:00.000Z',
      idempotencyKey: 'key-1',
      response: { statusCode: 201 },
    });
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

  it('answers 504 pending with Retry-After on a timeout, then resolves the retry at the gateway without a second charge', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutAfterCharging());

    // Act
    const first = await sell(ports);
    ports.advance(5_000);
    const retry = await sell(ports);

    // Assess
    expect(first.statusCode).toBe(504);
    expect(first.headers).toEqual({ 'retry-after': '120' });
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { id: 'txn_000001', status: 'pending' },
    });
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({
      id: 'txn_000001',
      status: 'approved',
      cardId: null,
      cardSaveFailed: true,
    });
    expect(operations(ports)).toEqual(['jwtSale', 'searchTransactions']);
    expect(ports.fakeGateway.calls[1]).toEqual({
      operation: 'searchTransactions',
      request: { invoice: 'txn_000001' },
    });
    expect(await stored(ports)).toMatchObject({ status: 'approved', sendCount: 1 });
  });

  it('sends nothing again inside the settle window when the gateway has no record, and the same JWT and invoice after it', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sell(ports);

    // Act
    ports.advance(SETTLE_WINDOW_MS - 30_000);
    const early = await sell(ports);
    ports.advance(30_000);
    const retry = await sell(ports);

    // Assess
    expect(early.statusCode).toBe(504);
    expect(early.headers).toEqual({ 'retry-after': '30' });
    expect(bodyOf(early).transaction).toMatchObject({ id: 'txn_000001', status: 'pending' });
    expect(retry.statusCode).toBe(201);
    expect(operations(ports)).toEqual(['jwtSale', 'searchTransactions', 'searchTransactions', 'jwtSale']);
    expect(ports.fakeGateway.requests('jwtSale')).toEqual([
      expect.objectContaining({ jwt: JWT, invoice: 'txn_000001', amount: 2555 }),
      expect.objectContaining({ jwt: JWT, invoice: 'txn_000001', amount: 2555 }),
    ]);
    expect(await stored(ports)).toMatchObject({
      status: 'approved',
      sendCount: 2,
      lastSentAt: '2026-11-24T10:02:00.000Z',
    });
  });

  it('stays pending, and sends nothing, while the gateway lookup itself fails, even past the settle window', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutAfterCharging());
    await sell(ports);
    ports.fakeGateway.scriptSearch(new GatewayUnavailableError('down'), new GatewayUnavailableError('down'));

    const early = await sell(ports);
    ports.advance(SETTLE_WINDOW_MS + 1);
    const late = await sell(ports);

    expect(early.statusCode).toBe(504);
    expect(late.statusCode).toBe(504);
    expect(late.headers).toEqual({ 'retry-after': '1' });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
    expect(await stored(ports)).toMatchObject({ status: 'pending', sendCount: 1 });
  });

  it('answers 504 pending, not 502, when Clearent answers 5xx after charging, and records the charge on retry', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(serverErrorAfterCharging(500));

    // Act
    const first = await sell(ports);
    const pending = await stored(ports);
    const retry = await sell(ports);

    // Assess
    expect(first.statusCode).toBe(504);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { status: 'pending', failureCode: null },
    });
    expect(pending).toMatchObject({ status: 'pending', sendCount: 1 });
    expect(pending?.response).toBeUndefined();
    expect(bodyOf(retry)).toMatchObject({
      id: 'txn_000001',
      status: 'approved',
      gateway: { transactionId: ports.fakeGateway.ledger[0]?.transactionId },
    });
    expect(operations(ports)).toEqual(['jwtSale', 'searchTransactions']);
  });

  it('reads the secret again on a Clearent 401 and sends once more: approved', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(new GatewayAuthenticationError('Clearent refused the api-key (HTTP 401)'), {});

    // Act
    const response = await sell(ports);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(ports.gatewayReads).toEqual([
      { storefrontId: 'sf_a', refresh: false, afterCalls: 0 },
      { storefrontId: 'sf_a', refresh: true, afterCalls: 1 },
    ]);
    expect(ports.fakeGateway.requests('jwtSale')).toEqual([
      expect.objectContaining({ jwt: JWT, invoice: 'txn_000001' }),
      expect.objectContaining({ jwt: JWT, invoice: 'txn_000001' }),
    ]);
    expect(await stored(ports)).toMatchObject({ status: 'approved', sendCount: 1 });
  });

  it('answers 502 failed when Clearent refuses the re-read credentials too, and sends again on a retry under the same key', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(new GatewayAuthenticationError('401'), new GatewayAuthenticationError('401'));

    // Act
    const first = await sell(ports);
    const failed = await stored(ports);
    const retry = await sell(ports);

    // Assess
    expect(first.statusCode).toBe(502);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'gateway_authentication_failed' },
      transaction: { status: 'failed', failureCode: 'gateway_authentication_failed' },
    });
    expect(failed?.response).toBeUndefined();
    expect(ports.idempotency.records.get('sf_a/key-1')).toMatchObject({ state: 'released', expires: true });
    expect(retry).toMatchObject({ statusCode: 201, replayed: false });
    expect(operations(ports)).toEqual(['jwtSale', 'jwtSale', 'jwtSale']);
    expect(await stored(ports)).toMatchObject({ status: 'approved', sendCount: 2 });
  });

  it('answers 502 when the gateway could not be reached, and a retry under the same key sends it again at once', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(notReached());

    const first = await sell(ports);
    const retry = await sell(ports);

    expect(first.statusCode).toBe(502);
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'gateway_unavailable' },
      transaction: { id: 'txn_000001', status: 'failed', failureCode: 'gateway_unavailable' },
    });
    expect(retry).toMatchObject({ statusCode: 201, replayed: false });
    expect(bodyOf(retry)).toMatchObject({ id: 'txn_000001', status: 'approved', failureCode: null });
    // Known not charged: nothing to look up before sending again.
    expect(operations(ports)).toEqual(['jwtSale', 'jwtSale']);
    expect(ports.fakeGateway.requests('jwtSale').map((request) => request.invoice)).toEqual([
      'txn_000001',
      'txn_000001',
    ]);
  });

  it('refuses the same key with another body (422) and while the first attempt runs (409 with Retry-After)', async () => {
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
      retryAfterSeconds: 5,
      headers: { 'retry-after': '5' },
    });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
  });

  it('takes over an attempt that died after sending, and resolves it at the gateway instead of resending', async () => {
    // Prepare: the dead attempt began its send (the pending transaction) and held the lock.
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
    ports.transactions.seed({
      id: 'txn_dead',
      storefrontId: 'sf_a',
      type: 'sale',
      status: 'pending',
      amount: parseAmount('25.55'),
      refunded: parseAmount('0'),
      customerId: 'cus_42',
      orderId: 'A-1001',
      cardSource: 'jwt',
      saveCard: true,
      createdAt: '2026-11-24T09:59:20.000Z',
      sendCount: 1,
      lastSentAt: '2026-11-24T09:59:20.000Z',
      idempotencyKey: 'key-1',
    });
    ports.fakeGateway.record({
      invoice: 'txn_dead',
      amount: parseAmount('25.55'),
      transactionId: '555',
      card: { last4: '4242' },
      tokenId: '1100000000000004242',
    });

    // Act
    const response = await sell(ports);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({
      id: 'txn_dead',
      status: 'approved',
      cardId: 'card_dead',
      gateway: { transactionId: '555' },
    });
    expect(await ports.cards.get('sf_a', 'cus_42', 'card_dead')).toMatchObject({
      tokenId: '1100000000000004242',
      last4: '4242',
    });
    expect(operations(ports)).toEqual(['searchTransactions']);
  });
});

describe('Function: jwtSale, when Clearent rejects the request', () => {
  it('answers 400 invalid_jwt for a JWT the gateway refuses, stores it, and replays it', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(
      new GatewayInvalidRequestError(
        'Clearent rejected the request (HTTP 400, result-code 041): Mobile JWT has already been used',
        { httpStatus: 400, resultCode: '041' },
      ),
    );

    // Act
    const response = await sell(ports);
    const replay = await sell(ports);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_jwt', param: 'jwt' },
      transaction: { status: 'failed', failureCode: 'gateway_rejected_request', cardId: null },
    });
    expect(bodyOf(response).error.message).toContain('Mobile JWT has already been used');
    expect(bodyOf(response).error.message).not.toContain(JWT);
    expect(replay).toEqual({ ...response, replayed: true });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
    expect(await stored(ports)).toMatchObject({ status: 'failed', failureCode: 'gateway_rejected_request' });
  });

  it("answers 502 gateway_rejected_request with Clearent's reason for a request it refuses for another reason", async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(
      new GatewayInvalidRequestError(
        'Clearent rejected the request (HTTP 400, result-code 008): Invalid amount',
        {
          httpStatus: 400,
          resultCode: '008',
        },
      ),
    );

    const response = await sell(ports);
    const replay = await sell(ports);

    expect(response.statusCode).toBe(502);
    expect(bodyOf(response).error).toMatchObject({ type: 'gateway_error', code: 'gateway_rejected_request' });
    expect(bodyOf(response).error.message).toContain('Invalid amount');
    expect(replay).toEqual({ ...response, replayed: true });
    expect(ports.fakeGateway.count('jwtSale')).toBe(1);
    expect(await stored(ports)).toMatchObject({ status: 'failed', failureCode: 'gateway_rejected_request' });
  });
});
