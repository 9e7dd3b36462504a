import { cents, parseAmount } from '../../../shared/money';
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { saleMaker } from './sales';

describe.each(engines)('Class: DynamoTransactionRepository (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoTransactionRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoTransactionRepository(table.db, table.tableName);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const sale = saleMaker();

  describe('Methods: create, replace, settle (the attempt transitions of docs/money-movement.md)', () => {
    it('stores amounts as cents and reads them back identically', async () => {
      const transaction = sale({ customerId: 'cus_1', card: { brand: 'VISA', last4: '1111' } });

      expect(await repository.create(transaction)).toBe(true);

      const { outbox, ...read } = (await repository.get('sf_store', transaction.id)) ?? {};
      expect(read).toEqual(transaction);
      // The write carried its event: a new approved sale's.
      expect(outbox?.map((entry) => [entry.type, entry.object.id])).toEqual([
        ['sale.approved', transaction.id],
      ]);
    });

    it('lets one of ten racing begins of a first attempt win', async () => {
      const attempt = sale({ status: 'pending', sendCount: 1, lastSentAt: '2026-11-24T10:00:00.000Z' });

      const begun = await Promise.all(Array.from({ length: 10 }, () => repository.create(attempt)));

      expect(begun.filter(Boolean)).toHaveLength(1);
    });

    it('lets one of ten racing resends win, and only from the send count and status seen', async () => {
      const pending = sale({ status: 'pending', sendCount: 1, lastSentAt: '2026-11-24T10:00:00.000Z' });
      await repository.create(pending);
      const resend = { ...pending, sendCount: 2, lastSentAt: '2026-11-24T10:05:00.000Z' };

      const begun = await Promise.all(
        Array.from({ length: 10 }, () => repository.replace(resend, { sendCount: 1, status: 'pending' })),
      );

      expect(begun.filter(Boolean)).toHaveLength(1);
      expect(await repository.replace(resend, { sendCount: 1, status: 'pending' })).toBe(false);
      expect(await repository.replace({ ...resend, sendCount: 3 }, { sendCount: 2, status: 'failed' })).toBe(
        false,
      );
      expect(await repository.get('sf_store', pending.id)).toMatchObject({ sendCount: 2, status: 'pending' });
    });

    it('refuses to record "not charged" once another process began a resend', async () => {
      const pending = sale({ status: 'pending', sendCount: 1, lastSentAt: '2026-11-24T10:00:00.000Z' });
      await repository.create(pending);
      await repository.replace({ ...pending, sendCount: 2 }, { sendCount: 1, status: 'pending' });

      const marked = await repository.replace(
        { ...pending, status: 'failed', failureCode: 'not_charged' },
        { sendCount: 1, status: 'pending' },
      );

      expect(marked).toBe(false);
      expect(await repository.get('sf_store', pending.id)).toMatchObject({ status: 'pending', sendCount: 2 });
    });

    it('settles once with its answer: a later settle gets the first one back, and nothing replaces it', async () => {
      const pending = sale({ status: 'pending', sendCount: 1 });
      await repository.create(pending);

      const first = await repository.settle({ ...pending, status: 'approved' });
      const second = await repository.settle({ ...pending, status: 'declined' });
      const replaced = await repository.replace(
        { ...pending, sendCount: 2 },
        { sendCount: 1, status: 'approved' },
      );

      expect(first).toMatchObject({ status: 'approved', response: { statusCode: 201 } });
      expect(second).toMatchObject({ status: 'approved', response: { statusCode: 201 } });
      expect(replaced).toBe(false);
      expect((await repository.get('sf_store', pending.id))?.status).toBe('approved');
    });

    it("hides a storefront's transaction from every other storefront", async () => {
      const transaction = sale();
      await repository.create(transaction);

      expect(await repository.get('sf_other', transaction.id)).toBeUndefined();
    });
  });

  describe('Method: holdRefund', () => {
    it('lets exactly three of ten racing 30.00 holds on a 100.00 sale through', async () => {
      const target = sale();
      await repository.create(target);

      const held = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          repository.holdRefund(target, `txn_r${i}`, parseAmount('30.00')),
        ),
      );

      expect(held.filter(Boolean)).toHaveLength(3);
      expect((await repository.get('sf_store', target.id))?.refunded).toBe(9000);
    });

    it('refuses a second hold for the same refund and a hold on a sale that is not approved', async () => {
      const target = sale();
      const declined = sale({ status: 'declined' });
      await repository.create(target);
      await repository.create(declined);

      expect(await repository.holdRefund(target, 'txn_r', cents(100))).toBe(true);
      expect(await repository.holdRefund(target, 'txn_r', cents(100))).toBe(false);
      expect(await repository.holdRefund(declined, 'txn_r', cents(100))).toBe(false);
    });

    it('gives a hold back once, however often it is released', async () => {
      const target = sale();
      await repository.create(target);
      await repository.holdRefund(target, 'txn_a', parseAmount('10.00'));
      await repository.holdRefund(target, 'txn_b', parseAmount('5.00'));

      await repository.releaseRefund(target, 'txn_a');
      await repository.releaseRefund(target, 'txn_a');

      expect((await repository.get('sf_store', target.id))?.refunded).toBe(500);
      expect(await repository.refundHold('sf_store', target.id, 'txn_a')).toBeUndefined();
      expect(await repository.refundHold('sf_store', target.id, 'txn_b')).toBe(500);
    });
  });
});
