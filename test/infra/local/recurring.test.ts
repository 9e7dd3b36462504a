import { runRecurringPath } from '../../../infra/local/local-routes';
import { runRecurring, runRecurringRoute } from '../../../infra/local/recurring';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import { GatewayUnavailableError } from '../../../shared/clearent/errors';
import { addInterval, startOfDayUtc } from '../../../shared/subscriptions/schedule';
import {
  addCard,
  addSubscription,
  declined,
  recurringPorts,
} from '../../shared/subscriptions/recurring-setup';
import { serverErrorAfterCharging } from '../../support/fake-gateway';
import { send } from './http-client';

const storefrontKey = 'sk_test_recurring_key_not_secret';

interface LedgerSale {
  type: string;
  result: string;
  amount: number;
  invoice?: string;
}

interface SubscriptionBody {
  id: string;
  status: string;
  nextChargeAt: string | null;
}

describe('Function: runRecurringRoute, through the local runtime and the simulator', () => {
  let local: LocalRuntime;
  const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
    send(`${local.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${storefrontKey}`,
        'content-type': 'application/json',
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const runRecurring = async (now?: string) => {
    const response = await send(`${local.apiUrl}${runRecurringPath}`, {
      method: 'POST',
      body: now ? JSON.stringify({ now }) : undefined,
    });
    expect(response.status).toBe(200);
    return response.json() as Record<string, unknown>;
  };

  beforeAll(async () => {
    local = await startLocalRuntime({
      port: 0,
      sandboxPort: 0,
      dataDir: null,
      storefronts: [{ storefrontId: 'shop1', apiKey: storefrontKey }],
      localRoutes: { [runRecurringPath]: runRecurringRoute() },
    });
  });

  afterAll(async () => {
    await local.close();
  });

  async function savedCard(): Promise<string> {
    const issued = await send(`${local.sandbox?.url}/rest/v2/mobilejwt/manual`, {
      method: 'POST',
      headers: { 'public-key': 'any', 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: '4111111111111111', 'exp-date': '1228', csc: '999' }),
    });
    const { payload } = issued.json() as { payload: { 'mobile-jwt': { jwt: string } } };
    const sale = await api('/v1/sales/jwt', {
      method: 'POST',
      key: 'recurring-card-sale',
      body: { amount: '5.00', jwt: payload['mobile-jwt'].jwt, customerId: 'cus_42' },
    });
    expect(sale.status).toBe(201);
    return (sale.json() as { cardId: string }).cardId;
  }

  it('charges a subscription once per period, moves it a month on, and never after it is canceled', async () => {
    // Prepare: a card saved by a sale, and a monthly subscription due today.
    const cardId = await savedCard();
    const created = await api('/v1/subscriptions', {
      method: 'POST',
      key: 'recurring-subscription',
      body: { customerId: 'cus_42', cardId, amount: '19.99', interval: 'month', description: 'Coffee club' },
    });
    expect(created.status).toBe(201);
    const subscription = created.json() as SubscriptionBody;
    const today = startOfDayUtc(new Date());
    expect(subscription).toMatchObject({ status: 'active', nextChargeAt: today.toISOString() });
    const salesBefore = (await ledgerCharges()).length;

    // Act + Assess: the run now charges it once.
    expect(await runRecurring()).toMatchObject({ due: 1, charged: 1, approved: 1, declined: 0, failed: 0 });
    const charges = await api(`/v1/transactions?subscriptionId=${subscription.id}`);
    const [charge] = (charges.json() as { data: Record<string, unknown>[] }).data;
    expect(charge).toMatchObject({
      type: 'sale',
      status: 'approved',
      amount: '19.99',
      subscriptionId: subscription.id,
      customerId: 'cus_42',
      cardId,
    });
    const recorded = await ledgerCharges();
    expect(recorded).toHaveLength(salesBefore + 1);
    expect(recorded.at(-1)).toMatchObject({ amount: 1999, invoice: charge?.id });

    // The same run again charges nothing.
    expect(await runRecurring()).toMatchObject({ due: 0, charged: 0 });
    const nextMonth = addInterval(today, 'month', 1, today.getUTCDate()).toISOString();
    const advanced = (await api(`/v1/subscriptions/${subscription.id}`)).json() as SubscriptionBody;
    expect(advanced).toMatchObject({ status: 'active', nextChargeAt: nextMonth });

    // At the next charge time: one more charge, and the month after is next.
    expect(await runRecurring(nextMonth)).toMatchObject({ due: 1, approved: 1 });
    const monthAfter = addInterval(new Date(nextMonth), 'month', 1, today.getUTCDate()).toISOString();
    expect(
      ((await api(`/v1/subscriptions/${subscription.id}`)).json() as SubscriptionBody).nextChargeAt,
    ).toBe(monthAfter);
    expect(await ledgerCharges()).toHaveLength(salesBefore + 2);

    // Canceled: nothing is charged, however late the run.
    const canceled = await api(`/v1/subscriptions/${subscription.id}`, { method: 'DELETE' });
    expect(canceled.status).toBe(200);
    expect(canceled.json()).toMatchObject({ status: 'canceled', nextChargeAt: null });
    expect(await runRecurring('2031-01-01T00:00:00Z')).toMatchObject({ due: 0, charged: 0 });
    expect(await ledgerCharges()).toHaveLength(salesBefore + 2);
  });

  it('answers 400 for a time that is not ISO 8601', async () => {
    const response = await send(`${local.apiUrl}${runRecurringPath}`, {
      method: 'POST',
      body: JSON.stringify({ now: 'tomorrow' }),
    });

    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'now' } });
  });

  /** The approved sales the simulator recorded (amounts in cents). */
  async function ledgerCharges(): Promise<LedgerSale[]> {
    const response = await send(`${local.sandbox?.url}/_sandbox/ledger`);
    const { transactions } = response.json() as { transactions: LedgerSale[] };
    return transactions.filter((t) => t.type === 'SALE' && t.result === 'APPROVED');
  }
});

const DUE = new Date('2026-12-01T00:00:00.000Z');
const unavailable = () => new GatewayUnavailableError('Clearent answered HTTP 503');

async function portsWith(count: number) {
  const ports = recurringPorts();
  await addCard(ports);
  for (let index = 0; index < count; index += 1) await addSubscription(ports, { id: `sub_${index}` });
  return ports;
}

describe('Function: runRecurring', () => {
  it('charges everything the selector queued and sums up the outcomes', async () => {
    // Prepare: three due, the second charge declines.
    const ports = await portsWith(3);
    ports.fakeGateway.script({}, declined('051'), {});

    // Act
    const summary = await runRecurring(ports, DUE, { concurrency: 1 });

    // Assess
    expect(summary).toEqual({
      scheduledTime: '2026-12-01T00:00:00.000Z',
      due: 3,
      charged: 3,
      approved: 2,
      declined: 1,
      failed: 0,
      skipped: 0,
    });
    expect(ports.fakeGateway.count('tokenSale')).toBe(3);
  });

  it('delivers a deferred charge again, as SQS would, and charges it once', async () => {
    const ports = await portsWith(1);
    ports.fakeGateway.script(unavailable(), unavailable());

    const summary = await runRecurring(ports, DUE);

    expect(summary).toMatchObject({ due: 1, approved: 1, failed: 0 });
    expect((await ports.subscriptions.get('sf_a', 'sub_0'))?.periodStart).toBe('2027-01-01T00:00:00.000Z');
  });

  it('resolves a charge answered 5xx after charging on its next delivery, never sending it again', async () => {
    // Prepare
    const ports = await portsWith(1);
    ports.fakeGateway.script(serverErrorAfterCharging());

    // Act
    const summary = await runRecurring(ports, DUE);

    // Assess
    expect(summary).toMatchObject({ due: 1, charged: 1, approved: 1, failed: 0 });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(ports.fakeGateway.count('searchTransactions')).toBe(1);
    expect(ports.fakeGateway.ledger.filter((t) => t.type === 'SALE')).toHaveLength(1);
    expect((await ports.subscriptions.get('sf_a', 'sub_0'))?.periodStart).toBe('2027-01-01T00:00:00.000Z');
  });

  it('counts a charge still unsettled after every delivery as failed, leaving it due', async () => {
    const ports = await portsWith(1);
    ports.fakeGateway.script(unavailable(), unavailable(), unavailable());

    const summary = await runRecurring(ports, DUE, { maxDeliveries: 3 });

    expect(summary).toMatchObject({ due: 1, charged: 0, failed: 1 });
    expect(ports.fakeGateway.count('tokenSale')).toBe(3);
    expect(await ports.subscriptions.get('sf_a', 'sub_0')).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      nextChargeAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('charges nothing when nothing is due', async () => {
    const ports = await portsWith(2);

    const summary = await runRecurring(ports, new Date('2026-11-30T23:59:59.999Z'));

    expect(summary).toMatchObject({ due: 0, charged: 0, skipped: 0 });
    expect(ports.fakeGateway.calls).toEqual([]);
  });
});
