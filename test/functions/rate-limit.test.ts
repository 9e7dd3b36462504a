/**
 * The per-storefront rate limit in front of every `/v1` route (shared/http/api-handler.ts): a storefront
 * over its budget answers 429 `rate_limit_error` with `Retry-After`, before anything else is done, so the
 * Idempotency-Key of a refused request is still free; other storefronts are not affected.
 */
import {
  type ApiResponse,
  type ErrorAnswer,
  gatewayRequestTotal,
  shopA,
  shopB,
  startApi,
  type TestApi,
  type TransactionResource,
  unique,
} from './support/api';

/** 8 requests every 4 s: a refill period long enough to act inside it, short enough to wait one out. */
const LIMIT = { requestsPerSecond: 2, burst: 8 };

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ rateLimit: LIMIT });
});
afterAll(() => api.close());

const RATE_LIMITED = {
  error: {
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: 'Too many requests for this storefront; retry after the Retry-After seconds',
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryAfterOf = (response: ApiResponse) => Number(response.headers['retry-after']);

/**
 * Spends the storefront's budget until a request is refused with at least 2 s of the period left (so
 * that the next requests of a test fall in the same period), and returns that refusal.
 */
async function exhaust(apiKey: string): Promise<ApiResponse> {
  for (let attempt = 0; attempt < 4; attempt++) {
    for (let sent = 0; sent <= 2 * LIMIT.burst; sent++) {
      const response = await api.get('/v1/transactions?limit=1', { apiKey });
      if (response.status === 429) {
        if (retryAfterOf(response) >= 2) return response;
        await sleep(retryAfterOf(response) * 1000);
        break;
      }
      expect(response.status).toBe(200);
    }
  }
  throw new Error('the storefront was never refused');
}

describe('Function: apiHandler, the per-storefront rate limit', () => {
  it('answers 429 rate_limit_error with Retry-After once the storefront spent its burst', async () => {
    // Act
    const refused = await exhaust(shopA.apiKey);

    // Assess
    expect(refused.json<ErrorAnswer>()).toEqual(RATE_LIMITED);
    expect(refused.headers['retry-after']).toMatch(/^[1-4]$/);
  });

  it('refuses every /v1 route of that storefront, before reading its body, and no other storefront', async () => {
    // Prepare
    await exhaust(shopA.apiKey);
    const gatewayBefore = gatewayRequestTotal(api.sandbox);
    const itemsBefore = await api.store.itemCount();

    // Act
    const answers = await Promise.all([
      api.jwtSale('1.00'),
      api.post('/v1/sales/token', { amount: '1.00', customerId: 'cus_1', cardId: 'card_1' }),
      api.post('/v1/refunds', { transactionId: 'txn_1' }),
      api.post('/v1/refunds', undefined, { rawBody: 'not json' }),
      api.get('/v1/transactions/txn_1'),
      api.get('/v1/customers/cus_1/cards'),
      api.delete('/v1/customers/cus_1/cards/card_1'),
      api.post('/v1/subscriptions', {
        customerId: 'cus_1',
        cardId: 'card_1',
        amount: '1.00',
        interval: 'month',
      }),
      api.get('/v1/subscriptions'),
      api.get('/v1/events'),
      api.get('/v1/webhook-endpoints'),
    ]);
    const itemsAfter = await api.store.itemCount();
    const otherStorefront = await api.get('/v1/transactions?limit=1', { apiKey: shopB.apiKey });

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(Array(answers.length).fill(429));
    for (const answer of answers) expect(answer.json<ErrorAnswer>()).toEqual(RATE_LIMITED);
    expect(gatewayRequestTotal(api.sandbox)).toBe(gatewayBefore);
    expect(itemsAfter).toBe(itemsBefore);
    expect(otherStorefront.status).toBe(200);
  });

  it('leaves the Idempotency-Key of a refused request free: the same request succeeds after Retry-After', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '2.00', jwt: api.jwt(), orderId: unique('order') };
    const refusal = await exhaust(shopA.apiKey);

    // Act
    const refused = await api.post('/v1/sales/jwt', body, { key });
    await sleep(retryAfterOf(refusal) * 1000 + 100);
    const accepted = await api.post('/v1/sales/jwt', body, { key });
    const replayed = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(refused.status).toBe(429);
    expect(accepted.status).toBe(201);
    expect(accepted.headers['idempotent-replayed']).toBeUndefined();
    expect(accepted.json<TransactionResource>()).toMatchObject({ status: 'approved', amount: '2.00' });
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json<TransactionResource>().id).toBe(accepted.json<TransactionResource>().id);
  });

  it('answers a request without a key 401, not 429, whatever its storefront spent', async () => {
    // Prepare
    await exhaust(shopA.apiKey);

    // Act
    const anonymous = await api.get('/v1/transactions', { apiKey: null });

    // Assess
    expect(anonymous.status).toBe(401);
  });
});
