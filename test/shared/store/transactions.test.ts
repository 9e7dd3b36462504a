import { cents, parseAmount } from '../../../shared/money';
import type { Transaction } from '../../../shared/payments/transaction';
import { DynamoTransactionRepository, InvalidCursorError } from '../../../shared/store/transactions';
import { startTestTable, type TestTable } from '../../support/local-table';

let table: TestTable;
let repository: DynamoTransactionRepository;

beforeAll(async () => {
  table = await startTestTable();
  repository = new DynamoTransactionRepository(table.db, table.tableName);
});
afterAll(() => table.close());

let sequence = 0;
function sale(overrides: Partial<Transaction> = {}): Transaction {
  sequence += 1;
  return {
    id: `txn_s${sequence}`,
    storefrontId: 'sf_store',
    type: 'sale',
    status: 'approved',
    amount: parseAmount('100.00'),
    refunded: cents(0),
    createdAt: `2026-11-24T10:00:${String(sequence).padStart(2, '0')}.000Z`,
    ...overrides,
  };
}

describe('Class: DynamoTransactionRepository', () => {
  describe('Method: save', () => {
    it('stores amounts as cents and reads them back identically', async () => {
      const transaction = sale({ customerId: 'cus_1', card: { brand: 'VISA', last4: '1111' } });

      await repository.save(transaction);

      expect(await repository.get('sf_store', transaction.id)).toEqual(transaction);
    });

    it('never overwrites a settled transaction (one with its answer): the stored one wins', async () => {
      const approved = sale({ response: { statusCode: 201, body: '{}' } });
      await repository.save(approved);

      const result = await repository.save({ ...approved, status: 'declined' });

      expect(result.status).toBe('approved');
      expect((await repository.get('sf_store', approved.id))?.status).toBe('approved');
    });

    it('makes a pending transaction final', async () => {
      const pending = sale({ status: 'pending' });
      await repository.save(pending);

      await repository.save({ ...pending, status: 'approved' });

      expect((await repository.get('sf_store', pending.id))?.status).toBe('approved');
    });

    it("hides a storefront's transaction from every other storefront", async () => {
      const transaction = sale();
      await repository.save(transaction);

      expect(await repository.get('sf_other', transaction.id)).toBeUndefined();
    });
  });

  describe('Method: holdRefund', () => {
    it('lets exactly three of ten racing 30.00 holds on a 100.00 sale through', async () => {
      const target = sale();
      await repository.save(target);

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
      await repository.save(target);
      await repository.save(declined);

      expect(await repository.holdRefund(target, 'txn_r', cents(100))).toBe(true);
      expect(await repository.holdRefund(target, 'txn_r', cents(100))).toBe(false);
      expect(await repository.holdRefund(declined, 'txn_r', cents(100))).toBe(false);
    });

    it('gives a hold back once, however often it is released', async () => {
      const target = sale();
      await repository.save(target);
      await repository.holdRefund(target, 'txn_a', parseAmount('10.00'));
      await repository.holdRefund(target, 'txn_b', parseAmount('5.00'));

      await repository.releaseRefund(target, 'txn_a');
      await repository.releaseRefund(target, 'txn_a');

      expect((await repository.get('sf_store', target.id))?.refunded).toBe(500);
      expect(await repository.refundHold('sf_store', target.id, 'txn_a')).toBeUndefined();
      expect(await repository.refundHold('sf_store', target.id, 'txn_b')).toBe(500);
    });
  });

  describe('Method: list', () => {
    it("pages through a customer's transactions newest first, and rejects a cursor from another list", async () => {
      const mine = [1, 2, 3].map(() => sale({ storefrontId: 'sf_list', customerId: 'cus_list' }));
      for (const transaction of mine) await repository.save(transaction);
      await repository.save(sale({ storefrontId: 'sf_list', customerId: 'cus_else' }));

      const first = await repository.list({ storefrontId: 'sf_list', customerId: 'cus_list', limit: 2 });
      const second = await repository.list({
        storefrontId: 'sf_list',
        customerId: 'cus_list',
        limit: 2,
        cursor: first.nextCursor ?? undefined,
      });

      expect(first.data.map((t) => t.id)).toEqual([mine[2]?.id, mine[1]?.id]);
      expect(second.data.map((t) => t.id)).toEqual([mine[0]?.id]);
      await expect(
        repository.list({ storefrontId: 'sf_other', limit: 2, cursor: first.nextCursor ?? undefined }),
      ).rejects.toThrow(InvalidCursorError);
    });
  });
});
