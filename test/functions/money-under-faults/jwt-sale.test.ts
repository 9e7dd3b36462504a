/**
 * JWT sales under faults (contract, "Card saved after recovery", Errors, Idempotency), through the real
 * handlers: a sale recovered by search is approved with no card saved, and says so (`cardSaveFailed`),
 * since Clearent's search does not return the token; a JWT the gateway refuses is the caller's mistake
 * (400 `invalid_jwt`); a key still in use answers 409 with Retry-After.
 */
import { idempotencyLockMs } from '../../../shared/time-budget';
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';
import { retryAfterSeconds, timed, until } from '../support/settle';

const SETTLE_SECONDS = 60;
const MOBILE_SALE = 'POST /rest/v2/mobile/transactions/sale';

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ settleSeconds: SETTLE_SECONDS });
});
afterAll(() => api.close());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

describe('Function: jwt-sale handler, under faults', () => {
  it('records a sale recovered by search approved, with cardId null and cardSaveFailed, saving no card', async () => {
    // Prepare
    const customerId = unique('cus');
    const key = unique('idem');
    const body = { amount: '21.00', jwt: api.jwt(), customerId };
    api.sandbox.injectFault({ kind: 'reset-after-processing', match: { operation: 'mobile-sale' } });
    const salesBefore = requestsTo(MOBILE_SALE);

    // Act
    const lost = await api.post('/v1/sales/jwt', body, { key });
    const id = lost.json<ErrorAnswer>().transaction?.id ?? '';
    const retried = await api.post('/v1/sales/jwt', body, { key });
    const replayed = await api.post('/v1/sales/jwt', body, { key });
    const cards = await api.get(`/v1/customers/${customerId}/cards`);

    // Assess
    expect(lost.status).toBe(504);
    expect(lost.json<ErrorAnswer>().transaction).toMatchObject({
      status: 'pending',
      customerId,
      cardId: null,
    });
    const charges = api.sandbox.ledger.chargesForInvoice(id);
    // The gateway charged and made a token, which only its lost answer carried.
    expect(charges).toEqual([expect.objectContaining({ amount: 2100, tokenCreated: true })]);
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({
      id,
      status: 'approved',
      amount: '21.00',
      customerId,
      cardId: null,
      cardSaveFailed: true,
      failureCode: null,
      card: { brand: 'VISA', last4: '1111' },
      gateway: { transactionId: charges[0]?.id, resultCode: '000' },
    });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(retried.text);
    expect(cards.json<{ data: unknown[] }>().data).toEqual([]);
    expect(requestsTo(MOBILE_SALE)).toBe(salesBefore + 1);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'approved',
      cardSaveFailed: true,
    });
  });

  it('answers a reused JWT 400 invalid_jwt (param jwt), charging nothing, and replays it', async () => {
    // Prepare
    const jwt = api.jwt();
    const first = await api.jwtSale('22.00', { jwt });
    const chargesBefore = api.sandbox.ledger.chargeCount;
    const key = unique('idem');
    const body = { amount: '22.00', jwt };

    // Act
    const reused = await api.post('/v1/sales/jwt', body, { key });
    const replayed = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(first.status).toBe(201);
    expect(reused.status).toBe(400);
    const answer = reused.json<ErrorAnswer>();
    expect(answer.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_jwt', param: 'jwt' });
    expect(answer.error.message).toMatch(/new Idempotency-Key/);
    expect(reused.text).not.toContain(jwt);
    const id = answer.transaction?.id ?? '';
    expect(answer.transaction).toMatchObject({
      status: 'failed',
      failureCode: 'gateway_rejected_request',
      amount: '22.00',
    });
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
    expect(api.sandbox.ledger.transactionsForInvoice(id)).toEqual([]);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'failed',
      failureCode: 'gateway_rejected_request',
    });
    expect(replayed.status).toBe(400);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(reused.text);
  });

  it('answers 409 with Retry-After for a key whose first request is still at the gateway, then the one approval', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '24.00', jwt: api.jwt() };
    api.sandbox.injectFault({ kind: 'late', delayMs: 1_000, match: { operation: 'mobile-sale' } });
    const salesBefore = requestsTo(MOBILE_SALE);

    // Act
    const startedAt = Date.now();
    const firstRequest = api.post('/v1/sales/jwt', body, { key });
    await until(() => requestsTo(MOBILE_SALE) === salesBefore + 1);
    const { result: inUse, ...span } = await timed(() => api.post('/v1/sales/jwt', body, { key }));
    const first = await firstRequest;
    const afterwards = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(inUse.status).toBe(409);
    expect(inUse.json<ErrorAnswer>().error).toMatchObject({
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
    });
    // The seconds left of the first request's lock, taken between its start and the sale reaching the gateway.
    const retryAfter = retryAfterSeconds(inUse);
    expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil((startedAt + idempotencyLockMs - span.to) / 1000));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(idempotencyLockMs / 1000));
    expect(first.status).toBe(201);
    const sale = first.json<TransactionResource>();
    expect(afterwards.status).toBe(201);
    expect(afterwards.headers['idempotent-replayed']).toBe('true');
    expect(afterwards.text).toBe(first.text);
    expect(requestsTo(MOBILE_SALE)).toBe(salesBefore + 1);
    expect(api.sandbox.ledger.chargesForInvoice(sale.id)).toEqual([
      expect.objectContaining({ amount: 2400 }),
    ]);
  });
});
