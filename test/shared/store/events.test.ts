import type { StoredEvent } from '../../../shared/events/event';
import { toTransactionResource } from '../../../shared/payments/transaction';
import { createCursorCodec, InvalidCursorError } from '../../../shared/store/cursor';
import { DynamoEventStore } from '../../../shared/store/events';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { saleMaker } from './sales';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe.each(engines)('Class: DynamoEventStore (%s)', (engine) => {
  let table: TestTable;
  let store: DynamoEventStore;

  beforeAll(async () => {
    table = await startTestTable(engine);
    store = new DynamoEventStore(
      table.db,
      table.tableName,
      async () => createCursorCodec('store-test-cursor-secret-not-a-real-one'),
      { now: () => NOW },
    );
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const sale = saleMaker();
  const event = (id: string, type: StoredEvent['type'], createdAt: string): StoredEvent => ({
    id,
    storefrontId: 'sf_events',
    type,
    createdAt,
    object: toTransactionResource(sale({ storefrontId: 'sf_events' })),
  });

  describe('Method: list', () => {
    it('pages newest first, by type when asked, and leaves out events past 30 days', async () => {
      // Prepare
      await store.record(event('evt_old', 'sale.approved', daysBefore(31)), []);
      await store.record(event('evt_a', 'sale.approved', daysBefore(3)), []);
      await store.record(event('evt_b', 'refund.approved', daysBefore(2)), []);
      await store.record(event('evt_c', 'sale.approved', daysBefore(1)), []);

      // Act
      const first = await store.list({ storefrontId: 'sf_events', limit: 2 });
      const second = await store.list({
        storefrontId: 'sf_events',
        limit: 2,
        cursor: first.nextCursor ?? '',
      });
      const sales = await store.list({ storefrontId: 'sf_events', type: 'sale.approved', limit: 10 });

      // Assess
      expect(first.data.map((e) => e.id)).toEqual(['evt_c', 'evt_b']);
      expect(second.data.map((e) => e.id)).toEqual(['evt_a']);
      expect(sales.data.map((e) => e.id)).toEqual(['evt_c', 'evt_a']);
      expect(await store.get('sf_events', 'evt_old')).toBeUndefined();
    });

    it("refuses a cursor of another timeline: the type's for the storefront's", async () => {
      // Prepare
      const sales = await store.list({ storefrontId: 'sf_events', type: 'sale.approved', limit: 1 });

      // Act
      const crossed = store.list({ storefrontId: 'sf_events', limit: 1, cursor: sales.nextCursor ?? '' });

      // Assess
      expect(sales.nextCursor).not.toBeNull();
      await expect(crossed).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
});
