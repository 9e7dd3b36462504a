import { parseAmount } from '../../../shared/money';
import { runIdempotent } from '../../../shared/payments/idempotent-operation';
import {
  type CreateSubscriptionInput,
  cancelSubscription,
  createSubscription,
} from '../../../shared/subscriptions/create';
import { addCard, type RecurringTestPorts, recurringPorts, STOREFRONT } from './recurring-setup';

function create(ports: RecurringTestPorts, overrides: Partial<CreateSubscriptionInput> = {}, key = 'key-1') {
  const input: CreateSubscriptionInput = {
    storefrontId: STOREFRONT,
    customerId: 'cus_42',
    cardId: 'card_1',
    amount: parseAmount('19.99'),
    interval: 'month',
    intervalCount: 1,
    ...overrides,
  };
  return runIdempotent(
    ports,
    {
      storefrontId: STOREFRONT,
      key,
      route: 'POST /v1/subscriptions',
      requestHash: 'hash-1',
      idPrefix: 'sub',
    },
    createSubscription(ports, input),
  );
}

const bodyOf = (response: { body: string }) => JSON.parse(response.body);

describe('Function: createSubscription', () => {
  it('creates an active subscription due today at 00:00 UTC, and charges nothing', async () => {
    // Prepare
    const ports = recurringPorts('2026-11-24T15:30:00.000Z');
    await addCard(ports);

    // Act
    const response = await create(ports, { description: 'Coffee club' });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toEqual({
      id: 'sub_000001',
      status: 'active',
      customerId: 'cus_42',
      cardId: 'card_1',
      amount: '19.99',
      currency: 'USD',
      interval: 'month',
      intervalCount: 1,
      description: 'Coffee club',
      nextChargeAt: '2026-11-24T00:00:00.000Z',
      failedAttempts: 0,
      lastFailure: null,
      createdAt: '2026-11-24T15:30:00.000Z',
      canceledAt: null,
    });
    expect(await ports.subscriptions.get(STOREFRONT, 'sub_000001')).toMatchObject({
      anchorDay: 24,
      periodStart: '2026-11-24T00:00:00.000Z',
      amount: 1999,
    });
    expect(ports.fakeGateway.calls).toEqual([]);
  });

  it('starts on the given startDate, anchored on its day of the month', async () => {
    const ports = recurringPorts('2026-11-24T15:30:00.000Z');
    await addCard(ports);

    const response = await create(ports, { startDate: new Date('2027-01-31T00:00:00.000Z') });

    expect(bodyOf(response).nextChargeAt).toBe('2027-01-31T00:00:00.000Z');
    expect((await ports.subscriptions.get(STOREFRONT, 'sub_000001'))?.anchorDay).toBe(31);
  });

  it('refuses a startDate before today (UTC) with 400', async () => {
    const ports = recurringPorts('2026-11-24T00:30:00.000Z');
    await addCard(ports);

    const response = await create(ports, { startDate: new Date('2026-11-23T00:00:00.000Z') });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatchObject({ code: 'validation_error', param: 'startDate' });
    expect(ports.subscriptions.items.size).toBe(0);
  });

  it.each([
    ['a card that does not exist', 'card_404', 'cus_42'],
    ["another customer's card", 'card_1', 'cus_other'],
  ])('answers 404 for %s', async (_case, cardId, customerId) => {
    const ports = recurringPorts();
    await addCard(ports);

    const response = await create(ports, { cardId, customerId });

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response).error).toMatchObject({ code: 'resource_missing', param: 'cardId' });
    expect(ports.subscriptions.items.size).toBe(0);
  });

  it('answers 404 for a removed card', async () => {
    const ports = recurringPorts();
    await addCard(ports, { status: 'removed' });

    expect((await create(ports)).statusCode).toBe(404);
  });

  it('replays the same subscription for the same key, creating one', async () => {
    const ports = recurringPorts();
    await addCard(ports);
    const first = await create(ports);

    const again = await create(ports);

    expect(again).toEqual({ ...first, replayed: true });
    expect(ports.subscriptions.items.size).toBe(1);
  });
});

describe('Function: cancelSubscription', () => {
  it('cancels, and canceling again returns the same canceled subscription', async () => {
    const ports = recurringPorts('2026-11-24T10:00:00.000Z');
    await addCard(ports);
    await create(ports);
    ports.advance(60_000);

    const canceled = await cancelSubscription(ports, STOREFRONT, 'sub_000001');
    ports.advance(60_000);
    const again = await cancelSubscription(ports, STOREFRONT, 'sub_000001');

    expect(canceled).toMatchObject({ status: 'canceled', canceledAt: '2026-11-24T10:01:00.000Z' });
    expect(again).toEqual(canceled);
  });

  it("answers 404 for another storefront's subscription", async () => {
    const ports = recurringPorts();
    await addCard(ports);
    await create(ports);

    await expect(cancelSubscription(ports, 'sf_other', 'sub_000001')).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await ports.subscriptions.get(STOREFRONT, 'sub_000001'))?.status).toBe('active');
  });
});
