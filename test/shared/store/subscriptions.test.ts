import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry } from '../../../shared/events/outbox';
import { parseAmount } from '../../../shared/money';
import { keys } from '../../../shared/store/keys';
import { DUE_SHARDS, DynamoSubscriptionRepository, dueShardOf } from '../../../shared/store/subscriptions';
import { afterApproval, afterDecline, defaultDunningPolicy } from '../../../shared/subscriptions/dunning';
import { refusalFailure, type SubscriptionFailure } from '../../../shared/subscriptions/failure';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import {
  applyChargeState,
  type Subscription,
  toSubscriptionResource,
} from '../../../shared/subscriptions/subscription';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';

const EVENT_TIME = new Date('2027-01-25T12:00:00.000Z');
const clock = { now: () => EVENT_TIME };

const declineFailure = (transactionId: string): SubscriptionFailure => ({
  code: 'card_declined',
  declineCode: '051',
  message: 'Declined by Issuer',
  transactionId,
  at: '2027-01-31T00:05:00.000Z',
});

describe.each(engines)('Class: DynamoSubscriptionRepository (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoSubscriptionRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoSubscriptionRepository(table.db, table.tableName, clock, undefined, 3);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  let sequence = 0;
  function subscription(overrides: Partial<Subscription> = {}): Subscription {
    sequence += 1;
    return {
      id: `sub_s${sequence}`,
      storefrontId: 'sf_store',
      status: 'active',
      customerId: 'cus_1',
      cardId: 'card_1',
      amount: parseAmount('19.99'),
      interval: 'month',
      intervalCount: 1,
      anchorDay: 31,
      periodStart: '2027-01-31T00:00:00.000Z',
      nextChargeAt: '2027-01-31T00:00:00.000Z',
      failedAttempts: 0,
      createdAt: '2027-01-20T00:00:00.000Z',
      ...overrides,
    };
  }

  async function rawItem(stored: Subscription) {
    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.subscription(stored.storefrontId, stored.id) }),
    );
    return Item;
  }

  /** The events the item's outbox holds, as [type, the object's status, the object]. */
  async function outboxOf(stored: Subscription) {
    const outbox = ((await rawItem(stored))?.outbox ?? []) as OutboxEntry[];
    return outbox.map((entry) => [entry.type, entry.object]);
  }

  async function allDue(until: string): Promise<ChargeMessage[]> {
    const charges: ChargeMessage[] = [];
    for (let shard = 0; shard < repository.dueShards; shard += 1) {
      let page = await repository.listDue(shard, until);
      charges.push(...page.charges);
      while (page.next) {
        page = await repository.listDue(shard, until, page.next);
        charges.push(...page.charges);
      }
    }
    return charges;
  }

  describe('Method: create and get', () => {
    it('stores the amount as cents and reads the subscription back identically', async () => {
      const created = subscription({ description: 'Coffee club' });

      await repository.create(created);

      expect(await repository.get('sf_store', created.id)).toEqual(created);
      expect(await rawItem(created)).toMatchObject({
        amountCents: 1999,
        duePk: `DUE#${dueShardOf(created.id)}`,
        dueSk: '2027-01-31T00:00:00.000Z',
        gsi1pk: 'SF#sf_store#SUB',
        gsi1sk: `2027-01-20T00:00:00.000Z#${created.id}`,
        gsi2pk: 'SF#sf_store#CUS#cus_1#SUB',
        gsi2sk: `2027-01-20T00:00:00.000Z#${created.id}`,
      });
    });

    it('writes the subscription.created event in the same put, stamped by its clock', async () => {
      const created = subscription();

      await repository.create(created);
      await repository.create(created);

      const outbox = ((await rawItem(created))?.outbox ?? []) as OutboxEntry[];
      expect(outbox).toEqual([
        {
          id: expect.stringMatching(/^evt_/),
          storefrontId: 'sf_store',
          type: 'subscription.created',
          createdAt: EVENT_TIME.toISOString(),
          notBefore: EVENT_TIME.toISOString(),
          object: toSubscriptionResource(created),
        },
      ]);
      expect(await rawItem(created)).toMatchObject({ workPk: expect.stringMatching(/^OUTBOX#\d$/) });
    });

    it('does not overwrite an existing subscription', async () => {
      const created = subscription();
      await repository.create(created);

      await repository.create({ ...created, amount: parseAmount('1.00') });

      expect((await repository.get('sf_store', created.id))?.amount).toBe(1999);
    });

    it("finds nothing under another storefront's id", async () => {
      const created = subscription();
      await repository.create(created);

      expect(await repository.get('sf_other', created.id)).toBeUndefined();
    });
  });

  describe('Method: listDue', () => {
    it('pages through every shard and lists only what is chargeable and due', async () => {
      // Prepare
      const until = '2030-06-01T00:00:00.000Z';
      const due = Array.from({ length: 12 }, (_, i) =>
        subscription({
          storefrontId: 'sf_due',
          periodStart: until,
          nextChargeAt: `2030-05-${10 + i}T00:00:00.000Z`,
        }),
      );
      const later = subscription({ storefrontId: 'sf_due', nextChargeAt: '2030-06-01T00:00:00.001Z' });
      const canceled = subscription({ storefrontId: 'sf_due', nextChargeAt: '2030-05-01T00:00:00.000Z' });
      const unpaid = subscription({
        storefrontId: 'sf_due',
        status: 'unpaid',
        nextChargeAt: '2030-05-01T00:00:00.000Z',
      });
      for (const item of [...due, later, canceled, unpaid]) await repository.create(item);
      await repository.cancel('sf_due', canceled.id, '2030-04-01T00:00:00.000Z');

      // Act
      const listed = (await allDue(until)).filter((charge) => charge.storefrontId === 'sf_due');

      // Assess
      expect(listed.map((charge) => charge.subscriptionId).sort()).toEqual(due.map((s) => s.id).sort());
      expect(listed[0]).toEqual({
        storefrontId: 'sf_due',
        subscriptionId: expect.stringMatching(/^sub_/),
        periodStart: until,
        attempt: 0,
      });
    });
  });

  describe('Method: transition', () => {
    it('applies a charge once: a second delivery with the same view is refused', async () => {
      const created = subscription();
      await repository.create(created);
      const next = afterApproval(created, 'txn_1');

      const first = await repository.transition(created, next);
      const second = await repository.transition(created, afterApproval({ ...created, ...next }, 'txn_2'));

      expect([first, second]).toEqual([true, false]);
      expect(await repository.get('sf_store', created.id)).toMatchObject({
        periodStart: '2027-02-28T00:00:00.000Z',
        nextChargeAt: '2027-02-28T00:00:00.000Z',
        lastTransactionId: 'txn_1',
      });
      expect(await rawItem(created)).toMatchObject({ dueSk: '2027-02-28T00:00:00.000Z' });
    });

    it('moves the due entry to a retry, and removes it when the subscription becomes unpaid', async () => {
      const created = subscription();
      await repository.create(created);
      const retry = afterDecline(created, defaultDunningPolicy, {
        hard: false,
        failure: declineFailure('txn_1'),
      });
      await repository.transition(created, retry);
      const retrying = { ...created, ...retry };
      expect(await rawItem(created)).toMatchObject({ status: 'past_due', dueSk: '2027-02-01T00:00:00.000Z' });

      const removed = refusalFailure('card_removed', new Date('2027-02-01T00:05:00.000Z'));
      await repository.transition(
        retrying,
        afterDecline(retrying, defaultDunningPolicy, { hard: true, failure: removed }),
      );

      const item = await rawItem(created);
      expect(item).toMatchObject({ status: 'unpaid', failedAttempts: 2 });
      expect(item?.duePk).toBeUndefined();
      expect(item?.dueSk).toBeUndefined();
    });

    it('refuses to change a canceled subscription', async () => {
      const created = subscription();
      await repository.create(created);
      await repository.cancel('sf_store', created.id, '2027-01-30T00:00:00.000Z');

      const applied = await repository.transition(created, afterApproval(created, 'txn_1'));

      expect(applied).toBe(false);
      const item = await rawItem(created);
      expect(item).toMatchObject({ status: 'canceled', periodStart: created.periodStart });
      expect(item?.duePk).toBeUndefined();
    });
  });

  describe('Method: cancel', () => {
    it('cancels, takes it out of the due index, and returns it unchanged when canceled again', async () => {
      const created = subscription();
      await repository.create(created);

      const canceled = await repository.cancel('sf_store', created.id, '2027-01-21T00:00:00.000Z');
      const again = await repository.cancel('sf_store', created.id, '2027-01-22T00:00:00.000Z');

      expect(canceled).toEqual({ ...created, status: 'canceled', canceledAt: '2027-01-21T00:00:00.000Z' });
      expect(again).toEqual(canceled);
      expect((await rawItem(created))?.dueSk).toBeUndefined();
    });

    it('answers undefined when there is no such subscription', async () => {
      expect(await repository.cancel('sf_store', 'sub_missing', '2027-01-21T00:00:00.000Z')).toBeUndefined();
    });
  });
  describe('Method: transition, events and lastFailure', () => {
    it('writes subscription.past_due, .unpaid and .updated with the subscription each one left', async () => {
      // Prepare
      const created = subscription();
      await repository.create(created);
      const declined = afterDecline(created, defaultDunningPolicy, {
        hard: false,
        failure: declineFailure('txn_d1'),
      });
      const pastDue = applyChargeState(created, declined);
      const removed = refusalFailure('card_removed', new Date('2027-02-01T00:05:00.000Z'));
      const unpaidState = afterDecline(pastDue, defaultDunningPolicy, { hard: true, failure: removed });
      const unpaid = applyChargeState(pastDue, unpaidState);

      // Act
      await repository.transition(created, declined);
      await repository.transition(pastDue, unpaidState);

      // Assess
      expect(await repository.get('sf_store', created.id)).toEqual(unpaid);
      expect(unpaid.lastFailure).toEqual(removed);
      expect(unpaid.lastTransactionId).toBe('txn_d1');
      expect(await outboxOf(created)).toEqual([
        ['subscription.created', toSubscriptionResource(created)],
        ['subscription.past_due', toSubscriptionResource(pastDue)],
        ['subscription.unpaid', toSubscriptionResource(unpaid)],
      ]);
      expect(toSubscriptionResource(unpaid)).toMatchObject({
        status: 'unpaid',
        nextChargeAt: null,
        lastFailure: { code: 'card_removed', declineCode: null, transactionId: null },
      });
    });

    it('clears lastFailure on an approval and writes subscription.updated', async () => {
      const created = subscription();
      await repository.create(created);
      const declined = afterDecline(created, defaultDunningPolicy, {
        hard: false,
        failure: declineFailure('txn_d2'),
      });
      await repository.transition(created, declined);
      const pastDue = applyChargeState(created, declined);

      await repository.transition(pastDue, afterApproval(pastDue, 'txn_a2'));

      const approved = await repository.get('sf_store', created.id);
      expect(approved).toMatchObject({ status: 'active', failedAttempts: 0, lastTransactionId: 'txn_a2' });
      expect(approved?.lastFailure).toBeUndefined();
      expect((await outboxOf(created)).map(([type]) => type)).toEqual([
        'subscription.created',
        'subscription.past_due',
        'subscription.updated',
      ]);
      expect((await outboxOf(created)).at(-1)?.[1]).toMatchObject({ status: 'active', lastFailure: null });
    });

    it('applies a charge to a subscription PATCHed meanwhile, and its event shows the new amount', async () => {
      // Prepare: the worker read the subscription, then the storefront changed its amount.
      const created = subscription();
      await repository.create(created);
      const patched = { ...created, amount: parseAmount('25.00') };
      await repository.update(created, patched);

      // Act: the charge's outcome, computed from the state the worker read.
      const applied = await repository.transition(created, afterApproval(created, 'txn_a3'));

      // Assess
      expect(applied).toBe(true);
      const stored = await repository.get('sf_store', created.id);
      expect(stored).toMatchObject({ amount: 2500, periodStart: '2027-02-28T00:00:00.000Z' });
      expect((await outboxOf(created)).at(-1)).toEqual([
        'subscription.updated',
        toSubscriptionResource(stored as Subscription),
      ]);
    });
  });

  describe('Method: update (PATCH)', () => {
    it('writes the change with its event only onto the state read, so a racing write is refused', async () => {
      // Prepare
      const created = subscription();
      await repository.create(created);
      const cheaper = { ...created, amount: parseAmount('9.99') };
      const described = { ...created, description: 'Gold plan' };

      // Act: two PATCHes computed from the same read.
      const results = await Promise.all([
        repository.update(created, cheaper),
        repository.update(created, described),
      ]);

      // Assess
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? cheaper : described;
      expect(await repository.get('sf_store', created.id)).toEqual(winner);
      expect(await outboxOf(created)).toEqual([
        ['subscription.created', toSubscriptionResource(created)],
        ['subscription.updated', toSubscriptionResource(winner)],
      ]);
    });

    it('is refused after a charge moved the subscription on since it was read', async () => {
      const created = subscription();
      await repository.create(created);
      await repository.transition(created, afterApproval(created, 'txn_a4'));

      const written = await repository.update(created, { ...created, cardId: 'card_2' });

      expect(written).toBe(false);
      expect(await repository.get('sf_store', created.id)).toMatchObject({
        cardId: 'card_1',
        periodStart: '2027-02-28T00:00:00.000Z',
      });
    });

    it('puts an unpaid subscription back into the due index when it is due again', async () => {
      const unpaid = subscription({ status: 'unpaid', failedAttempts: 2 });
      await repository.create(unpaid);
      expect((await rawItem(unpaid))?.duePk).toBeUndefined();
      const retrying: Subscription = {
        ...unpaid,
        status: 'past_due',
        cardId: 'card_2',
        failedAttempts: 0,
        attemptsBefore: 2,
        nextChargeAt: '2027-03-05T10:00:00.000Z',
        retriesFrom: '2027-03-05T10:00:00.000Z',
      };

      await repository.update(unpaid, retrying);

      expect(await repository.get('sf_store', unpaid.id)).toEqual(retrying);
      expect(await rawItem(unpaid)).toMatchObject({
        duePk: `DUE#${dueShardOf(unpaid.id)}`,
        dueSk: '2027-03-05T10:00:00.000Z',
      });
      expect((await outboxOf(unpaid)).at(-1)).toEqual([
        'subscription.past_due',
        toSubscriptionResource(retrying),
      ]);
    });
  });

  describe('Method: cancel, events', () => {
    it('writes one subscription.canceled event, however often it is canceled', async () => {
      const created = subscription();
      await repository.create(created);

      const canceled = await repository.cancel('sf_store', created.id, '2027-01-21T00:00:00.000Z');
      await repository.cancel('sf_store', created.id, '2027-01-22T00:00:00.000Z');

      expect(await outboxOf(created)).toEqual([
        ['subscription.created', toSubscriptionResource(created)],
        ['subscription.canceled', toSubscriptionResource(canceled as Subscription)],
      ]);
      // The stored item's bookkeeping never leaks into the subscription read back.
      expect(Object.keys((await repository.get('sf_store', created.id)) ?? {})).not.toEqual(
        expect.arrayContaining(['outbox', 'workPk', 'gsi1pk', 'gsi2pk', 'pk']),
      );
    });

    it('cancels a subscription a charge moved on since nothing was read: no change is lost', async () => {
      const created = subscription();
      await repository.create(created);
      await repository.transition(created, afterApproval(created, 'txn_a5'));

      const canceled = await repository.cancel('sf_store', created.id, '2027-02-01T00:00:00.000Z');

      expect(canceled).toMatchObject({
        status: 'canceled',
        periodStart: '2027-02-28T00:00:00.000Z',
        lastTransactionId: 'txn_a5',
      });
      expect((await rawItem(created))?.duePk).toBeUndefined();
    });
  });
});

describe('Function: dueShardOf', () => {
  it('spreads ids over every shard, and always puts an id in the same one', () => {
    const counts = new Array<number>(DUE_SHARDS).fill(0);
    for (let i = 0; i < 8000; i += 1)
      counts[dueShardOf(`sub_${i}`)] = (counts[dueShardOf(`sub_${i}`)] ?? 0) + 1;

    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
    expect(dueShardOf('sub_abc')).toBe(dueShardOf('sub_abc'));
  });
});
