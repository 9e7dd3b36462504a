import { createCursorCodec, InvalidCursorError } from '../../../shared/store/cursor';
import { DynamoTransactionTimeline } from '../../../shared/store/transaction-timeline';
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { saleMaker } from './sales';

describe.each(engines)('Class: DynamoTransactionTimeline (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoTransactionRepository;
  let timeline: DynamoTransactionTimeline;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoTransactionRepository(table.db, table.tableName);
    timeline = new DynamoTransactionTimeline(table.db, table.tableName, async () =>
      createCursorCodec('store-test-cursor-secret-not-a-real-one'),
    );
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const sale = saleMaker();

  describe('Method: list', () => {
    it("lists a storefront's transactions, and a subscription's, narrowed to a customer when asked", async () => {
      const charge = (customerId: string) =>
        sale({ storefrontId: 'sf_timeline', customerId, subscriptionId: 'sub_1' });
      const [first, second] = [charge('cus_a'), charge('cus_b')];
      const loose = sale({ storefrontId: 'sf_timeline', customerId: 'cus_a' });
      for (const transaction of [first, second, loose]) await repository.create(transaction);

      const all = await timeline.list({ storefrontId: 'sf_timeline', limit: 10 });
      const ofSubscription = await timeline.list({
        storefrontId: 'sf_timeline',
        subscriptionId: 'sub_1',
        limit: 10,
      });
      const ofBoth = await timeline.list({
        storefrontId: 'sf_timeline',
        subscriptionId: 'sub_1',
        customerId: 'cus_a',
        limit: 10,
      });

      expect(all.data.map((t) => t.id)).toEqual([loose.id, second?.id, first?.id]);
      expect(ofSubscription.data.map((t) => t.id)).toEqual([second?.id, first?.id]);
      expect(ofBoth.data.map((t) => t.id)).toEqual([first?.id]);
    });

    it("pages through a customer's transactions newest first, and rejects a cursor from another list", async () => {
      const mine = [1, 2, 3].map(() => sale({ storefrontId: 'sf_list', customerId: 'cus_list' }));
      for (const transaction of mine) await repository.create(transaction);
      await repository.create(sale({ storefrontId: 'sf_list', customerId: 'cus_else' }));

      const first = await timeline.list({ storefrontId: 'sf_list', customerId: 'cus_list', limit: 2 });
      const second = await timeline.list({
        storefrontId: 'sf_list',
        customerId: 'cus_list',
        limit: 2,
        cursor: first.nextCursor ?? undefined,
      });

      expect(first.data.map((t) => t.id)).toEqual([mine[2]?.id, mine[1]?.id]);
      expect(second.data.map((t) => t.id)).toEqual([mine[0]?.id]);
      await expect(
        timeline.list({ storefrontId: 'sf_other', limit: 2, cursor: first.nextCursor ?? undefined }),
      ).rejects.toThrow(InvalidCursorError);
    });
  });
});
