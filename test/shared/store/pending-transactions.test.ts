import { DynamoPendingTransactions } from '../../../shared/store/pending-transactions';
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { saleMaker } from './sales';

describe.each(engines)('Class: DynamoPendingTransactions (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoTransactionRepository;
  let pending: DynamoPendingTransactions;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoTransactionRepository(table.db, table.tableName);
    pending = new DynamoPendingTransactions(table.db, table.tableName);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const sale = saleMaker();

  describe('Method: listPending', () => {
    it('finds the pending transactions sent before a time, in every shard, and forgets them once settled', async () => {
      const sent = (minute: number) => `2026-11-24T09:${String(minute).padStart(2, '0')}:00.000Z`;
      const old = [1, 2, 3, 4, 5].map((minute) =>
        sale({ storefrontId: 'sf_pending', status: 'pending', sendCount: 1, lastSentAt: sent(minute) }),
      );
      const recent = sale({
        storefrontId: 'sf_pending',
        status: 'pending',
        sendCount: 1,
        lastSentAt: sent(30),
      });
      const settled = sale({
        storefrontId: 'sf_pending',
        status: 'pending',
        sendCount: 1,
        lastSentAt: sent(6),
      });
      for (const transaction of [...old, recent, settled]) await repository.create(transaction);
      await repository.settle({ ...settled, status: 'declined' });

      const found: string[] = [];
      for (let shard = 0; shard < pending.pendingShards; shard++) {
        let cursor: Readonly<Record<string, unknown>> | undefined;
        do {
          const page = await pending.listPending(shard, sent(20), cursor);
          found.push(...page.data.filter((t) => t.storefrontId === 'sf_pending').map((t) => t.id));
          cursor = page.next;
        } while (cursor);
      }

      expect(found.sort()).toEqual(old.map((t) => t.id).sort());
    });
  });
});
