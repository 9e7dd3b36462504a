import { idempotencyLockMs } from '../../../shared/time-budget';
import {
  type ErrorAnswer,
  gatewayRequestTotal,
  startApi,
  type TestApi,
  type TransactionResource,
  unique,
} from '../support/api';
import { retryAfterSeconds } from '../support/settle';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Function: jwt-sale handler, idempotency', () => {
  it('replays an approval for the same key and body, in any key order, without charging again', async () => {
    // Prepare
    const key = unique('idem');
    const jwt = api.jwt();
    const first = await api.post('/v1/sales/jwt', { amount: '12.00', jwt, orderId: 'A-7' }, { key });

    // Act
    const replayed = await api.post('/v1/sales/jwt', { orderId: 'A-7', jwt, amount: '12.00' }, { key });

    // Assess
    expect(first.status).toBe(201);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(first.text);
    expect(api.sandbox.ledger.chargesForInvoice(first.json<TransactionResource>().id)).toHaveLength(1);
  });

  it('refuses the same key with another body, or on another route, with 422 idempotency_error', async () => {
    // Prepare
    const key = unique('idem');
    const jwt = api.jwt();
    const first = await api.post('/v1/sales/jwt', { amount: '12.00', jwt }, { key });
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const otherBody = await api.post('/v1/sales/jwt', { amount: '12.01', jwt }, { key });
    const otherRoute = await api.post(
      '/v1/refunds',
      { transactionId: first.json<TransactionResource>().id },
      { key },
    );

    // Assess
    for (const refused of [otherBody, otherRoute]) {
      expect(refused.status).toBe(422);
      expect(refused.json<ErrorAnswer>().error).toMatchObject({
        type: 'idempotency_error',
        code: 'idempotency_key_reused',
      });
    }
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
    const sale = await api.store.transactions.get('shopA', first.json<TransactionResource>().id);
    expect(sale).toMatchObject({ amount: 1200, refunded: 0 });
  });

  it.each([
    ['missing', null, 'idempotency_key_missing'],
    ['empty', '', 'idempotency_key_invalid'],
    ['with a space', 'key with space', 'idempotency_key_invalid'],
    ['longer than 255', 'k'.repeat(256), 'idempotency_key_invalid'],
    ['not ASCII', 'clé', 'idempotency_key_invalid'],
  ])('answers 400 when the Idempotency-Key is %s', async (_case, key, code) => {
    // Prepare
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const response = await api.jwtSale('1.00', {}, { key });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({
      type: 'invalid_request_error',
      code,
      param: 'Idempotency-Key',
    });
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });

  it('charges 20 concurrent identical sales under one key once; each gets the 201 or a 409', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '42.42', jwt: api.jwt(), customerId: unique('cus') };
    const chargesBefore = api.sandbox.ledger.chargeCount;

    // Act
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api.post('/v1/sales/jwt', body, { key })),
    );

    // Assess
    const created = responses.filter((response) => response.status === 201);
    const inProgress = responses.filter((response) => response.status === 409);
    expect(created.length + inProgress.length).toBe(20);
    expect(created.filter((response) => response.headers['idempotent-replayed'] === undefined)).toHaveLength(
      1,
    );
    const sale = created[0]?.json<TransactionResource>();
    expect(sale).toMatchObject({ status: 'approved', amount: '42.42' });
    for (const response of created) expect(response.text).toBe(created[0]?.text);
    for (const response of inProgress) {
      expect(response.json<ErrorAnswer>().error).toMatchObject({
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
      });
      // The seconds left of the first request's lock on the key.
      expect(retryAfterSeconds(response)).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds(response)).toBeLessThanOrEqual(Math.ceil(idempotencyLockMs / 1000));
    }
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore + 1);
    expect(api.sandbox.ledger.chargesForInvoice(sale?.id ?? '')).toHaveLength(1);
    const list = await api.get(`/v1/transactions?customerId=${body.customerId}`);
    expect(list.json<{ data: TransactionResource[] }>().data.map((t) => t.id)).toEqual([sale?.id]);
  });
});
