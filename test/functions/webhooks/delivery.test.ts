/**
 * Events reach a storefront's endpoint on this machine as `npm start` delivers them: published after the
 * request that made the change, POSTed over HTTP, signed so that `standardwebhooks` verifies them, and
 * listed by GET /v1/events.
 */
import type { EventResource } from '../../../shared/events/event';
import type { TransactionResource } from '../../../shared/payments/transaction';
import { startTestEndpoint, type TestEndpoint } from '../../support/webhook-endpoint';
import { shopB, startApi, type TestApi, unique } from '../support/api';

describe('Webhooks through the local runtime', () => {
  let api: TestApi;
  const endpoints: TestEndpoint[] = [];

  beforeAll(async () => {
    api = await startApi({ webhookRetrySchedule: '1s,1s' });
  });
  afterAll(async () => {
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    await api?.close();
  });

  /** A receiver registered as an endpoint of the storefront with `apiKey` (default shop A). */
  async function register(
    options: { answer?: (n: number) => number; events?: string[]; apiKey?: string } = {},
  ): Promise<TestEndpoint & { id: string }> {
    const endpoint = await startTestEndpoint(options.answer);
    endpoints.push(endpoint);
    const created = await api.post(
      '/v1/webhook-endpoints',
      { url: endpoint.url, ...(options.events ? { events: options.events } : {}) },
      options.apiKey ? { apiKey: options.apiKey } : {},
    );
    expect(created.status).toBe(201);
    const { id, secret } = created.json<{ id: string; secret: string }>();
    endpoint.trust(secret);
    return Object.assign(endpoint, { id });
  }

  const about = (id: string) => (events: EventResource[]) => events.filter((e) => e.data.object.id === id);

  it('tells the storefront of a JWT sale, the card it saved, a refund, a declined sale and a card deleted', async () => {
    const endpoint = await register();
    const other = await register({ apiKey: shopB.apiKey });

    const { customerId, cardId, sale } = await api.saveCard();
    const refund = (
      await api.post('/v1/refunds', { transactionId: sale.id, amount: '1.00' })
    ).json<TransactionResource>();
    const declined = await api.post('/v1/sales/token', { amount: '0.21', customerId, cardId });
    expect(declined.status).toBe(402);
    const declinedId = declined.json<{ transaction: TransactionResource }>().transaction.id;
    expect((await api.delete(`/v1/customers/${customerId}/cards/${cardId}`)).status).toBe(204);

    const events = await endpoint.waitFor((all) =>
      ['sale.approved', 'card.saved', 'refund.approved', 'sale.declined', 'card.deleted'].every((type) =>
        all.some((e) => e.type === type),
      ),
    );
    expect(about(sale.id)(events)).toEqual([
      expect.objectContaining({
        type: 'sale.approved',
        data: { object: expect.objectContaining({ amount: '5.00', status: 'approved', cardId }) },
      }),
    ]);
    expect(
      about(cardId)(events)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['card.deleted', 'card.saved']);
    expect(about(refund.id)(events)).toEqual([
      expect.objectContaining({
        type: 'refund.approved',
        data: { object: expect.objectContaining({ amount: '1.00', saleId: sale.id }) },
      }),
    ]);
    expect(about(declinedId)(events)).toEqual([
      expect.objectContaining({
        type: 'sale.declined',
        data: { object: expect.objectContaining({ amount: '0.21', status: 'declined' }) },
      }),
    ]);
    // Each delivered once, every request verified, none to the other storefront's endpoint.
    expect(endpoint.received.every((r) => r.event !== undefined)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(other.received).toEqual([]);
    expect(JSON.stringify(endpoint.received.map((r) => r.body))).not.toMatch(/tok_|"tokenId"/);

    // The same events are listed, newest first, and each can be read; not by another storefront.
    const listed = (await api.get('/v1/events?limit=100')).json<{ data: EventResource[] }>().data;
    for (const event of events) expect(listed).toContainEqual(event);
    const one = events[0] as EventResource;
    expect((await api.get(`/v1/events/${one.id}`)).json()).toEqual(one);
    expect((await api.get(`/v1/events/${one.id}`, { apiKey: shopB.apiKey })).status).toBe(404);
    const declines = (await api.get('/v1/events?type=sale.declined')).json<{ data: EventResource[] }>().data;
    expect(declines.map((e) => e.type)).toEqual(declines.map(() => 'sale.declined'));
    expect(declines.map((e) => e.data.object.id)).toContain(declinedId);
  });

  it('tells the storefront of a subscription created, charged, changed, declined into past_due and canceled', async () => {
    const endpoint = await register({
      events: [
        'subscription.created',
        'subscription.updated',
        'subscription.past_due',
        'subscription.canceled',
        'sale.approved',
        'sale.declined',
      ],
    });
    const { customerId, cardId, sale } = await api.saveCard();
    const created = await api.post('/v1/subscriptions', {
      customerId,
      cardId,
      amount: '19.99',
      interval: 'month',
    });
    expect(created.status).toBe(201);
    const subscription = created.json<{ id: string; nextChargeAt: string }>();
    const firstCharge = new Date(subscription.nextChargeAt);

    expect((await api.runRecurring(firstCharge)).status).toBe(200);
    expect((await api.patch(`/v1/subscriptions/${subscription.id}`, { amount: '0.21' })).status).toBe(200);
    const nextMonth = new Date(Date.UTC(firstCharge.getUTCFullYear(), firstCharge.getUTCMonth() + 1, 1));
    expect((await api.runRecurring(new Date(nextMonth.getTime() + 40 * 86_400_000))).status).toBe(200);
    expect((await api.delete(`/v1/subscriptions/${subscription.id}`)).status).toBe(200);

    const subscriptionEvents = (all: EventResource[]) =>
      all.filter(
        (e) =>
          e.data.object.id === subscription.id ||
          (e.data.object as { subscriptionId?: string }).subscriptionId === subscription.id,
      );
    const events = await endpoint.waitFor((all) => subscriptionEvents(all).length >= 7);
    const story = subscriptionEvents(events).map((e) => {
      const object = e.data.object as { status: string; amount: string };
      return `${e.type} ${object.status} ${object.amount}`;
    });
    // In no guaranteed order (contract), so compared as a set; the statuses tell the story.
    expect(story.sort()).toEqual(
      [
        'subscription.created active 19.99',
        'sale.approved approved 19.99',
        'subscription.updated active 19.99',
        'subscription.updated active 0.21',
        'sale.declined declined 0.21',
        'subscription.past_due past_due 0.21',
        'subscription.canceled canceled 0.21',
      ].sort(),
    );
    // The card-saving sale is not the subscription's, and was delivered too.
    expect(events.some((e) => e.data.object.id === sale.id)).toBe(true);
  });

  it('delivers an event the endpoint first refuses again on the schedule, with the same id', async () => {
    const endpoint = await register({ answer: (n) => (n === 1 ? 500 : 200), events: ['sale.approved'] });

    const { sale } = await api.saveCard(unique('cus'));

    await endpoint.waitFor((events) => about(sale.id)(events).length === 2, 15_000);
    const [first, second] = endpoint.received;
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    // The shortened schedule's first delay is one second.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
    // Only what it subscribed to: no card.saved.
    expect(endpoint.events().map((e) => e.type)).toEqual(['sale.approved', 'sale.approved']);
  });

  it('stops delivering to an endpoint that answered 410 Gone, and shows it disabled', async () => {
    const endpoint = await register({ answer: () => 410, events: ['sale.approved'] });

    await api.saveCard(unique('cus'));
    await endpoint.waitFor((events) => events.length === 1);
    await api.saveCard(unique('cus'));
    await api.runtime.webhooks.settle();

    expect(endpoint.received).toHaveLength(1);
    const listed = (await api.get('/v1/webhook-endpoints')).json<{ data: { id: string; status: string }[] }>()
      .data;
    expect(listed.find((e) => e.id === endpoint.id)?.status).toBe('disabled');
  });

  it('answers 400 for a bad type or cursor and 404 for an unknown event, naming the parameter', async () => {
    const refusal = async (path: string) => {
      const response = await api.get(path);
      const { error } = response.json<{ error: { type: string; code: string; param?: string } }>();
      return [response.status, error.type, error.code, error.param];
    };

    expect(await refusal('/v1/events?type=sale.exploded')).toEqual([
      400,
      'invalid_request_error',
      'validation_error',
      'type',
    ]);
    expect(await refusal('/v1/events?cursor=forged.cursor')).toEqual([
      400,
      'invalid_request_error',
      'invalid_cursor',
      'cursor',
    ]);
    expect(await refusal('/v1/events?limit=0')).toEqual([
      400,
      'invalid_request_error',
      'validation_error',
      'limit',
    ]);
    expect(await refusal('/v1/events/evt_doesNotExist')).toEqual([
      404,
      'invalid_request_error',
      'resource_missing',
      'eventId',
    ]);
    expect(await refusal('/v1/events/not-an-id')).toEqual([
      400,
      'invalid_request_error',
      'validation_error',
      'eventId',
    ]);
  });
});
