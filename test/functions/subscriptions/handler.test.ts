import type { LocalRuntime } from '../../../infra/local/runtime';
import { startOfDayUtc } from '../../../shared/subscriptions/schedule';
import { callApi, otherStorefrontKey, saveCard, startRuntime } from '../recurring-support';

let local: LocalRuntime;
let cardId: string;

beforeAll(async () => {
  local = await startRuntime();
  cardId = await saveCard(local, 'cus_42');
});
afterAll(() => local.close());

const body = (overrides: Record<string, unknown> = {}) => ({
  customerId: 'cus_42',
  cardId,
  amount: '19.99',
  interval: 'month',
  ...overrides,
});

describe('Function: subscriptions handler', () => {
  it('creates a subscription (201), and replays it for the same Idempotency-Key', async () => {
    // Act
    const created = await callApi(local, '/v1/subscriptions', { method: 'POST', key: 'sub-1', body: body() });
    const replayed = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'sub-1',
      body: body(),
    });

    // Assess
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({
      id: expect.stringMatching(/^sub_[0-9A-Za-z]+$/),
      status: 'active',
      customerId: 'cus_42',
      cardId,
      amount: '19.99',
      currency: 'USD',
      interval: 'month',
      intervalCount: 1,
      description: null,
      nextChargeAt: startOfDayUtc(new Date()).toISOString(),
      failedAttempts: 0,
      lastFailure: null,
      createdAt: expect.any(String),
      canceledAt: null,
    });
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(created.text);
  });

  it('starts on startDate, every intervalCount intervals', async () => {
    const created = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'sub-start',
      body: body({ startDate: '2031-01-31', interval: 'week', intervalCount: 2 }),
    });

    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      nextChargeAt: '2031-01-31T00:00:00.000Z',
      interval: 'week',
      intervalCount: 2,
    });
  });

  it('reads a subscription back, and hides it from another storefront (404)', async () => {
    const created = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'sub-read',
      body: body(),
    });
    const { id } = created.json() as { id: string };

    const read = await callApi(local, `/v1/subscriptions/${id}`);
    const foreign = await callApi(local, `/v1/subscriptions/${id}`, { apiKey: otherStorefrontKey });
    const foreignCancel = await callApi(local, `/v1/subscriptions/${id}`, {
      method: 'DELETE',
      apiKey: otherStorefrontKey,
    });

    expect(read.status).toBe(200);
    expect(read.text).toBe(created.text);
    expect(foreign.status).toBe(404);
    expect(foreign.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'resource_missing' },
    });
    expect(foreignCancel.status).toBe(404);
    expect(((await callApi(local, `/v1/subscriptions/${id}`)).json() as { status: string }).status).toBe(
      'active',
    );
  });

  it('cancels (200), and canceling again returns the same canceled subscription', async () => {
    const created = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'sub-cancel',
      body: body(),
    });
    const { id } = created.json() as { id: string };

    const canceled = await callApi(local, `/v1/subscriptions/${id}`, { method: 'DELETE' });
    const again = await callApi(local, `/v1/subscriptions/${id}`, { method: 'DELETE' });

    expect(canceled.status).toBe(200);
    expect(canceled.json()).toMatchObject({
      id,
      status: 'canceled',
      nextChargeAt: null,
      canceledAt: expect.any(String),
    });
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(canceled.json());
  });

  it("answers 404 for a card that is not the customer's", async () => {
    const response = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: 'sub-foreign-card',
      body: body({ customerId: 'cus_other' }),
    });

    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'resource_missing', param: 'cardId' } });
  });

  it.each([
    ['an unknown field', { plan: 'gold' }, 'plan'],
    ['an unknown interval', { interval: 'fortnight' }, 'interval'],
    ['more than a year between charges', { interval: 'month', intervalCount: 13 }, 'intervalCount'],
    ['a fractional intervalCount', { intervalCount: 1.5 }, 'intervalCount'],
    ['a date that does not exist', { startDate: '2027-02-29' }, 'startDate'],
    ['an amount of zero', { amount: '0.00' }, 'amount'],
    ['an amount with three decimals', { amount: '1.999' }, 'amount'],
  ])('answers 400 for %s', async (_case, overrides, param) => {
    const response = await callApi(local, '/v1/subscriptions', {
      method: 'POST',
      key: `sub-invalid-${param}`,
      body: body(overrides),
    });

    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { type: 'invalid_request_error', param } });
  });

  it('answers 400 without an Idempotency-Key', async () => {
    const response = await callApi(local, '/v1/subscriptions', { method: 'POST', body: body() });

    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'idempotency_key_missing' } });
  });

  it('answers 400 for an id that is not a subscription id', async () => {
    const response = await callApi(local, '/v1/subscriptions/txn_123');

    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'validation_error', param: 'subscriptionId' },
    });
  });
});
