/**
 * The events a recurring run writes (contract: Webhooks), read from the subscription item's raw outbox:
 * the worker on in-memory payments ports and a fake gateway, with the real DynamoDB subscription stores
 * (dynalite only: the store suite runs the writes themselves on both engines).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry } from '../../../shared/events/outbox';
import { keys } from '../../../shared/store/keys';
import { DynamoSubscriptionBilling } from '../../../shared/store/subscription-billing';
import { DynamoSubscriptionRepository } from '../../../shared/store/subscriptions';
import { defaultDunningPolicy } from '../../../shared/subscriptions/dunning';
import type { RecurringPorts } from '../../../shared/subscriptions/ports';
import type { Subscription } from '../../../shared/subscriptions/subscription';
import { chargeSubscription } from '../../../shared/subscriptions/worker';
import { startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';
import { chargeMessageOf, testCard, testSubscription } from '../../support/subscription-fixtures';
import { declined, STOREFRONT } from './recurring-setup';

let table: TestTable;

beforeAll(async () => {
  table = await startTestTable('dynalite');
}, testTableStartTimeoutMs);
afterAll(() => table?.close());

let sequence = 0;

/** Ports whose subscription stores are DynamoDB, with a card and a subscription due on 2026-12-01. */
async function prepared(): Promise<{ ports: TestPorts & RecurringPorts; subscription: Subscription }> {
  const payments = memoryPorts(new Date('2026-12-01T00:05:00.000Z'));
  const subscriptions = new DynamoSubscriptionRepository(table.db, table.tableName, payments.clock);
  const billing = new DynamoSubscriptionBilling(table.db, table.tableName, payments.clock);
  const ports = { ...payments, billing, dunning: defaultDunningPolicy };
  sequence += 1;
  await ports.cards.add(testCard());
  const subscription = testSubscription({ id: `sub_events${sequence}` });
  await subscriptions.create(subscription);
  return { ports, subscription };
}

async function deliver(ports: RecurringPorts, id: string) {
  const stored = await ports.billing.get(STOREFRONT, id);
  if (!stored) throw new Error(`no subscription ${id}`);
  return chargeSubscription(ports, chargeMessageOf(stored));
}

async function outboxOf(id: string): Promise<OutboxEntry[]> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: keys.subscription(STOREFRONT, id) }),
  );
  return (Item?.outbox ?? []) as OutboxEntry[];
}

describe('Function: chargeSubscription, the events it writes', () => {
  it('writes subscription.updated for an approval, with the next period and no failure', async () => {
    // Prepare
    const { ports, subscription } = await prepared();

    // Act
    const result = await deliver(ports, subscription.id);

    // Assess
    expect(result).toMatchObject({ result: 'approved' });
    const outbox = await outboxOf(subscription.id);
    expect(outbox.map((entry) => entry.type)).toEqual(['subscription.created', 'subscription.updated']);
    expect(outbox[1]).toMatchObject({
      storefrontId: STOREFRONT,
      createdAt: '2026-12-01T00:05:00.000Z',
      object: {
        id: subscription.id,
        status: 'active',
        nextChargeAt: '2027-01-01T00:00:00.000Z',
        failedAttempts: 0,
        lastFailure: null,
      },
    });
  });

  it('writes subscription.past_due at the first decline, updates at the retries, then subscription.unpaid, each with its failure', async () => {
    // Prepare
    const { ports, subscription } = await prepared();
    ports.fakeGateway.script(declined('051'), declined('051'), declined('012'), declined('023'));

    // Act
    for (let attempt = 0; attempt < 4; attempt += 1) await deliver(ports, subscription.id);

    // Assess
    const outbox = await outboxOf(subscription.id);
    const charges = [...ports.transactions.items.values()].map((charge) => charge.id);
    expect(outbox.map((entry) => [entry.type, entry.object])).toEqual([
      ['subscription.created', expect.objectContaining({ status: 'active', lastFailure: null })],
      // The status names the event when it changes; a further decline while past_due is an update.
      ...['2026-12-02', '2026-12-04', '2026-12-06'].map((day, attempt) => [
        attempt === 0 ? 'subscription.past_due' : 'subscription.updated',
        expect.objectContaining({
          status: 'past_due',
          failedAttempts: attempt + 1,
          nextChargeAt: `${day}T00:00:00.000Z`,
          lastFailure: expect.objectContaining({ code: 'card_declined', transactionId: charges[attempt] }),
        }),
      ]),
      [
        'subscription.unpaid',
        expect.objectContaining({
          status: 'unpaid',
          nextChargeAt: null,
          failedAttempts: 4,
          lastFailure: {
            code: 'card_declined',
            declineCode: '023',
            message: 'Declined by Issuer',
            transactionId: charges[3],
            at: '2026-12-01T00:05:00.000Z',
          },
        }),
      ],
    ]);
  });

  it('writes subscription.unpaid for a removed card, refused before the gateway', async () => {
    const { ports, subscription } = await prepared();
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-30T00:00:00.000Z');

    await deliver(ports, subscription.id);

    expect(ports.fakeGateway.calls).toEqual([]);
    expect((await outboxOf(subscription.id)).map((entry) => [entry.type, entry.object])).toEqual([
      ['subscription.created', expect.anything()],
      [
        'subscription.unpaid',
        expect.objectContaining({
          status: 'unpaid',
          lastFailure: expect.objectContaining({ code: 'card_removed', transactionId: null }),
        }),
      ],
    ]);
  });

  it('writes subscription.updated when a retry is approved, clearing the failure', async () => {
    const { ports, subscription } = await prepared();
    ports.fakeGateway.script(declined('051'));

    await deliver(ports, subscription.id);
    await deliver(ports, subscription.id);

    const outbox = await outboxOf(subscription.id);
    expect(outbox.map((entry) => entry.type)).toEqual([
      'subscription.created',
      'subscription.past_due',
      'subscription.updated',
    ]);
    expect(outbox[2]?.object).toMatchObject({ status: 'active', failedAttempts: 0, lastFailure: null });
  });
});
