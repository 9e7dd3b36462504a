import { cents, parseAmount } from '../../../shared/money';
import type { Transaction } from '../../../shared/payments/transaction';
import { createCursorCodec, InvalidCursorError } from '../../../shared/store/cursor';
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';

describe.each(engines)('Class: DynamoTransactionRepository (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoTransactionRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoTransactionRepository(table.db, table.tableName, async () =>
      createCursorCodec('store-test-cursor-secret-not-a-real-one'),
    );
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  // Per engine, so both see the same ids and times (createdAt seconds stay under 60).
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
      for (let shard = 0; shard < repository.pendingShards; shard++) {
        let cursor: Readonly<Record<string, unknown>> | undefined;
        do {
          const page = await repository.listPending(shard, sent(20), cursor);
          found.push(...page.data.filter((t) => t.storefrontId === 'sf_pending').map((t) => t.id));
          cursor = page.next;
        } while (cursor);
      }

      expect(found.sort()).toEqual(old.map((t) => t.id).sort());
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

  describe('Method: list', () => {
    it("lists a storefront's transactions, and a subscription's, narrowed to a customer when asked", async () => {
      const charge = (customerId: string) =>
        sale({ storefrontId: 'sf_timeline', customerId, subscriptionId: 'sub_1' });
      const [first, second] = [charge('cus_a'), charge('cus_b')];
      const loose = sale({ storefrontId: 'sf_timeline', customerId: 'cus_a' });
      for (const transaction of [first, second, loose]) await repository.create(transaction);

      const all = await repository.list({ storefrontId: 'sf_timeline', limit: 10 });
      const ofSubscription = await repository.list({
        storefrontId: 'sf_timeline',
        subscriptionId: 'sub_1',
        limit: 10,
      });
      const ofBoth = await repository.list({
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
