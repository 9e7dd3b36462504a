import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parseAmount } from '../../../shared/money';
import { keys } from '../../../shared/store/keys';
import { DUE_SHARDS, DynamoSubscriptionRepository, dueShardOf } from '../../../shared/store/subscriptions';
import { afterApproval, afterDecline, defaultDunningPolicy } from '../../../shared/subscriptions/dunning';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import type { Subscription } from '../../../shared/subscriptions/subscription';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';

describe.each(engines)('Class: DynamoSubscriptionRepository (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoSubscriptionRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoSubscriptionRepository(table.db, table.tableName, 3);
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
      });
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
      const retry = afterDecline(created, defaultDunningPolicy, { hard: false });
      await repository.transition(created, retry);
      const retrying = { ...created, ...retry };
      expect(await rawItem(created)).toMatchObject({ status: 'past_due', dueSk: '2027-02-01T00:00:00.000Z' });

      await repository.transition(retrying, afterDecline(retrying, defaultDunningPolicy, { hard: true }));

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
