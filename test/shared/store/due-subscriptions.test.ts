import { DynamoDueSubscriptions } from '../../../shared/store/due-subscriptions';
import { DUE_SHARDS, dueShardOf } from '../../../shared/store/subscription-item';
import { DynamoSubscriptionRepository } from '../../../shared/store/subscriptions';
import type { ChargeMessage } from '../../../shared/subscriptions/ports';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { subscriptionMaker } from './subscription-items';

describe.each(engines)('Class: DynamoDueSubscriptions (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoSubscriptionRepository;
  let due: DynamoDueSubscriptions;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoSubscriptionRepository(table.db, table.tableName);
    // Pages of 3, so that a shard takes more than one.
    due = new DynamoDueSubscriptions(table.db, table.tableName, 3);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const subscription = subscriptionMaker();

  async function allDue(until: string): Promise<ChargeMessage[]> {
    const charges: ChargeMessage[] = [];
    for (let shard = 0; shard < due.dueShards; shard += 1) {
      let page = await due.listDue(shard, until);
      charges.push(...page.charges);
      while (page.next) {
        page = await due.listDue(shard, until, page.next);
        charges.push(...page.charges);
      }
    }
    return charges;
  }

  describe('Method: listDue', () => {
    it('pages through every shard and lists only what is chargeable and due', async () => {
      // Prepare
      const until = '2030-06-01T00:00:00.000Z';
      const dueNow = Array.from({ length: 12 }, (_, i) =>
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
      for (const item of [...dueNow, later, canceled, unpaid]) await repository.create(item);
      await repository.cancel('sf_due', canceled.id, '2030-04-01T00:00:00.000Z');

      // Act
      const listed = (await allDue(until)).filter((charge) => charge.storefrontId === 'sf_due');

      // Assess
      expect(listed.map((charge) => charge.subscriptionId).sort()).toEqual(dueNow.map((s) => s.id).sort());
      expect(listed[0]).toEqual({
        storefrontId: 'sf_due',
        subscriptionId: expect.stringMatching(/^sub_/),
        periodStart: until,
        attempt: 0,
      });
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
