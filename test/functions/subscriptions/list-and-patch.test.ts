/**
 * `GET /v1/subscriptions` and `PATCH /v1/subscriptions/{id}` through the real handlers (contract:
 * Routes). Every subscription here starts in 2031, so no recurring run of another test file charges it.
 */
import type { SubscriptionResource } from '../../../shared/subscriptions/subscription';
import {
  type ApiResponse,
  type CallOptions,
  type ErrorAnswer,
  shopB,
  startApi,
  type TestApi,
  type TransactionList,
  unique,
} from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

interface SubscriptionList {
  data: SubscriptionResource[];
  nextCursor: string | null;
}

/** `PATCH`, sent with an Idempotency-Key like a POST. */
const patch = (path: string, body: unknown, options: CallOptions = {}): Promise<ApiResponse> =>
  api.patch(path, body, options);

async function subscribe(customerId: string, cardId: string, fields: Record<string, unknown> = {}) {
  const created = await api.post('/v1/subscriptions', {
    customerId,
    cardId,
    amount: '19.99',
    interval: 'month',
    startDate: '2031-01-15',
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.json<SubscriptionResource>();
}

/** A customer with a saved card and `count` subscriptions on it, oldest first. */
async function customerWith(count: number) {
  const { customerId, cardId } = await api.saveCard();
  const subscriptions: SubscriptionResource[] = [];
  for (let index = 0; index < count; index += 1) subscriptions.push(await subscribe(customerId, cardId));
  return { customerId, cardId, subscriptions };
}

const idsOf = (response: ApiResponse) => response.json<SubscriptionList>().data.map((s) => s.id);

describe('Function: subscriptions handler, GET /v1/subscriptions', () => {
  it("pages through a customer's subscriptions newest first", async () => {
    // Prepare
    const { customerId, subscriptions } = await customerWith(3);
    await customerWith(1);
    const newestFirst = subscriptions.map((s) => s.id).reverse();

    // Act
    const first = await api.get(`/v1/subscriptions?customerId=${customerId}&limit=2`);
    const { nextCursor } = first.json<SubscriptionList>();
    const second = await api.get(
      `/v1/subscriptions?customerId=${customerId}&limit=2&cursor=${encodeURIComponent(nextCursor ?? '')}`,
    );

    // Assess
    expect(first.status).toBe(200);
    expect(idsOf(first)).toEqual(newestFirst.slice(0, 2));
    expect(first.json<SubscriptionList>().data[0]).toEqual(subscriptions[2]);
    expect(second.status).toBe(200);
    expect(second.json()).toEqual({ data: [subscriptions[0]], nextCursor: null });
  });

  it('filters by status', async () => {
    const { customerId, subscriptions } = await customerWith(3);
    const canceled = await api.delete(`/v1/subscriptions/${subscriptions[1]?.id}`);

    const response = await api.get(`/v1/subscriptions?customerId=${customerId}&status=canceled`);

    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ data: [canceled.json()], nextCursor: null });
  });

  it("lists the storefront's subscriptions, never another storefront's", async () => {
    const { subscriptions } = await customerWith(1);

    const own = await api.get('/v1/subscriptions?limit=100');
    const other = await api.get('/v1/subscriptions?limit=100', { apiKey: shopB.apiKey });

    expect(idsOf(own)).toContain(subscriptions[0]?.id);
    expect(idsOf(own)[0]).toBe(subscriptions[0]?.id);
    expect(other.status).toBe(200);
    expect(idsOf(other)).not.toContain(subscriptions[0]?.id);
  });

  it.each([
    ['an unknown status', 'status=overdue', 'status'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit above 100', 'limit=101', 'limit'],
    ['an unknown parameter', 'plan=gold', 'plan'],
  ])('answers 400 for %s', async (_case, query, param) => {
    const response = await api.get(`/v1/subscriptions?${query}`);

    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('answers 400 for a cursor the transaction list handed out', async () => {
    const { customerId } = await customerWith(1);
    await api.saveCard(customerId);
    const transactions = await api.get(`/v1/transactions?customerId=${customerId}&limit=1`);
    const cursor = transactions.json<TransactionList>().nextCursor ?? '';

    const response = await api.get(
      `/v1/subscriptions?customerId=${customerId}&cursor=${encodeURIComponent(cursor)}`,
    );

    expect(cursor).not.toBe('');
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ code: 'invalid_cursor', param: 'cursor' });
  });
});

describe('Function: subscriptions handler, PATCH /v1/subscriptions/{id}', () => {
  it('changes the amount and description (200), replays the same request, and refuses another under its key (422)', async () => {
    // Prepare
    const { subscriptions } = await customerWith(2);
    const [subscription, other] = subscriptions;
    const key = unique('patch');
    const body = { amount: '25.00', description: 'Gold plan' };

    // Act
    const changed = await patch(`/v1/subscriptions/${subscription?.id}`, body, { key });
    const replayed = await patch(`/v1/subscriptions/${subscription?.id}`, body, { key });
    const otherBody = await patch(`/v1/subscriptions/${subscription?.id}`, { amount: '26.00' }, { key });
    const otherSubscription = await patch(`/v1/subscriptions/${other?.id}`, body, { key });
    const read = await api.get(`/v1/subscriptions/${subscription?.id}`);

    // Assess
    expect(changed.status).toBe(200);
    expect(changed.json()).toEqual({ ...subscription, amount: '25.00', description: 'Gold plan' });
    expect(replayed.status).toBe(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(changed.text);
    for (const refused of [otherBody, otherSubscription]) {
      expect(refused.status).toBe(422);
      expect(refused.json<ErrorAnswer>().error).toMatchObject({ type: 'idempotency_error' });
    }
    expect(read.text).toBe(changed.text);
    expect((await api.get(`/v1/subscriptions/${other?.id}`)).json()).toEqual(other);
  });

  it('moves the subscription to another card of its customer', async () => {
    const { customerId, subscriptions } = await customerWith(1);
    const { cardId } = await api.saveCard(customerId);

    const response = await patch(`/v1/subscriptions/${subscriptions[0]?.id}`, { cardId });

    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ...subscriptions[0], cardId });
  });

  it.each([
    ['an unknown field', { plan: 'gold' }, 'plan'],
    ['an amount with three decimals', { amount: '1.999' }, 'amount'],
    ['a cardId that is not one', { cardId: 'txn_1' }, 'cardId'],
    ['a description with a card number', { description: 'card 4111 1111 1111 1111' }, 'description'],
    ['a field the create sets once', { interval: 'week' }, 'interval'],
  ])('answers 400 for %s', async (_case, body, param) => {
    const { subscriptions } = await customerWith(1);

    const response = await patch(`/v1/subscriptions/${subscriptions[0]?.id}`, body);

    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it.each([
    ['an empty body', '{}', 'validation_error'],
    ['a body that is not a JSON object', '[1]', 'invalid_json'],
    ['no body', '', 'invalid_json'],
  ])('answers 400 for %s, changing nothing', async (_case, rawBody, code) => {
    const { subscriptions } = await customerWith(1);

    const response = await patch(`/v1/subscriptions/${subscriptions[0]?.id}`, undefined, { rawBody });

    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', code });
    expect((await api.get(`/v1/subscriptions/${subscriptions[0]?.id}`)).json()).toEqual(subscriptions[0]);
  });

  it('answers 400 without an Idempotency-Key', async () => {
    const { subscriptions } = await customerWith(1);

    const response = await patch(
      `/v1/subscriptions/${subscriptions[0]?.id}`,
      { amount: '1.00' },
      { key: null },
    );

    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({
      code: 'idempotency_key_missing',
      param: 'Idempotency-Key',
    });
  });

  it("answers 404 for another storefront's subscription, changing nothing", async () => {
    const { subscriptions } = await customerWith(1);

    const response = await patch(
      `/v1/subscriptions/${subscriptions[0]?.id}`,
      { amount: '1.00' },
      { apiKey: shopB.apiKey },
    );

    expect(response.status).toBe(404);
    expect(response.json<ErrorAnswer>().error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'subscriptionId',
    });
    expect((await api.get(`/v1/subscriptions/${subscriptions[0]?.id}`)).json()).toEqual(subscriptions[0]);
  });

  it("answers 404 cardId for another customer's card", async () => {
    const { subscriptions } = await customerWith(1);
    const { cardId } = await api.saveCard();

    const response = await patch(`/v1/subscriptions/${subscriptions[0]?.id}`, { cardId });

    expect(response.status).toBe(404);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ code: 'resource_missing', param: 'cardId' });
    expect((await api.get(`/v1/subscriptions/${subscriptions[0]?.id}`)).json()).toEqual(subscriptions[0]);
  });

  it('answers 422 for a canceled subscription', async () => {
    const { subscriptions } = await customerWith(1);
    const canceled = await api.delete(`/v1/subscriptions/${subscriptions[0]?.id}`);

    const response = await patch(`/v1/subscriptions/${subscriptions[0]?.id}`, { amount: '1.00' });

    expect(response.status).toBe(422);
    expect(response.json<ErrorAnswer>().error).toEqual({
      type: 'invalid_request_error',
      code: 'subscription_canceled',
      message: 'A canceled subscription cannot be changed; create a new one',
      param: 'subscriptionId',
    });
    expect((await api.get(`/v1/subscriptions/${subscriptions[0]?.id}`)).json()).toEqual(canceled.json());
  });
});
