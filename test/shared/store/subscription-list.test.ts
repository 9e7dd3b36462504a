import { createCursorCodec, InvalidCursorError } from '../../../shared/store/cursor';
import { DynamoSubscriptionRepository } from '../../../shared/store/subscriptions';
import type { SubscriptionQuery } from '../../../shared/subscriptions/ports';
import type { Subscription, SubscriptionStatus } from '../../../shared/subscriptions/subscription';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { testSubscription } from '../../support/subscription-fixtures';

const codec = createCursorCodec('store-test-cursor-secret-not-a-real-one');

describe.each(engines)('Class: DynamoSubscriptionRepository, Method: list (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoSubscriptionRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoSubscriptionRepository(table.db, table.tableName, undefined, async () => codec);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  /** `count` subscriptions of `storefrontId`, created a second apart (index 0 first); `of` picks each one's fields. */
  async function stored(
    storefrontId: string,
    count: number,
    of: (index: number) => { status?: SubscriptionStatus; customerId?: string } = () => ({}),
  ): Promise<Subscription[]> {
    const subscriptions = Array.from({ length: count }, (_, index) =>
      testSubscription({
        id: `sub_${storefrontId.replace(/_/g, '')}${String(index).padStart(3, '0')}`,
        storefrontId,
        customerId: 'cus_1',
        periodStart: '2027-02-01T00:00:00.000Z',
        nextChargeAt: '2027-02-01T00:00:00.000Z',
        createdAt: new Date(Date.UTC(2027, 0, 1) + index * 1000).toISOString(),
        ...of(index),
      }),
    );
    for (let start = 0; start < count; start += 25) {
      await Promise.all(subscriptions.slice(start, start + 25).map((s) => repository.create(s)));
    }
    return subscriptions;
  }

  /** Every page of `query`, following the cursors. */
  async function pages(query: Omit<SubscriptionQuery, 'cursor'>): Promise<string[][]> {
    const listed: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await repository.list({ ...query, cursor });
      listed.push(page.data.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return listed;
  }

  const newestFirst = (subscriptions: Subscription[]) => subscriptions.map((s) => s.id).reverse();

  it("pages through a storefront's subscriptions newest first, with no empty page at the end", async () => {
    // Prepare
    const all = await stored('sf_pages', 6);

    // Act
    const listed = await pages({ storefrontId: 'sf_pages', limit: 2 });
    const first = await repository.list({ storefrontId: 'sf_pages', limit: 2 });

    // Assess
    expect(listed).toEqual([
      newestFirst(all).slice(0, 2),
      newestFirst(all).slice(2, 4),
      newestFirst(all).slice(4, 6),
    ]);
    expect(first.data[0]).toEqual(all[5]);
  });

  it("lists one customer's subscriptions only", async () => {
    const all = await stored('sf_customers', 5, (index) => ({
      customerId: index % 2 === 0 ? 'cus_even' : 'cus_odd',
    }));

    const listed = await pages({ storefrontId: 'sf_customers', customerId: 'cus_odd', limit: 10 });

    expect(listed).toEqual([newestFirst(all.filter((s) => s.customerId === 'cus_odd'))]);
  });

  it('fills every page of a status filter however sparse the matches, and starts the next page after the last one returned', async () => {
    // Prepare: four past_due among 230, two of them next to each other; a query reads 100 items at most.
    const pastDue = new Set([5, 120, 121, 229]);
    const all = await stored('sf_status', 230, (index) => ({
      status: pastDue.has(index) ? 'past_due' : 'active',
    }));

    // Act
    const listed = await pages({ storefrontId: 'sf_status', status: 'past_due', limit: 2 });
    const unpaid = await repository.list({ storefrontId: 'sf_status', status: 'unpaid', limit: 2 });

    // Assess
    const expected = newestFirst(all.filter((s) => s.status === 'past_due'));
    expect(listed).toEqual([expected.slice(0, 2), expected.slice(2, 4)]);
    expect(unpaid).toEqual({ data: [], nextCursor: null });
  }, 60_000);

  it('filters by customer and status together', async () => {
    const all = await stored('sf_both', 8, (index) => ({
      customerId: index < 4 ? 'cus_a' : 'cus_b',
      status: index % 2 === 0 ? 'canceled' : 'active',
    }));

    const listed = await pages({
      storefrontId: 'sf_both',
      customerId: 'cus_b',
      status: 'canceled',
      limit: 1,
    });

    expect(listed).toEqual(
      newestFirst(all.filter((s) => s.customerId === 'cus_b' && s.status === 'canceled')).map((id) => [id]),
    );
  });

  it('refuses a cursor from another list, another storefront, a transaction list, or tampered with', async () => {
    // Prepare
    await stored('sf_cursor', 3);
    const { nextCursor } = await repository.list({
      storefrontId: 'sf_cursor',
      customerId: 'cus_1',
      limit: 1,
    });
    const transactionCursor = codec.encode({
      pk: 'SF#sf_cursor#TXN#txn_1',
      sk: 'TXN',
      gsi1pk: 'SF#sf_cursor#TXN',
      gsi1sk: '2027-01-01T00:00:00.000Z#txn_1',
    });
    const tampered = `${nextCursor?.slice(0, -2)}AA`;

    // Act
    const attempts = [
      { storefrontId: 'sf_cursor', cursor: nextCursor },
      { storefrontId: 'sf_other', customerId: 'cus_1', cursor: nextCursor },
      { storefrontId: 'sf_cursor', cursor: transactionCursor },
      { storefrontId: 'sf_cursor', customerId: 'cus_1', cursor: tampered },
    ].map((query) => repository.list({ ...query, limit: 1, cursor: query.cursor ?? undefined }));

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(InvalidCursorError);
  });

  it("lists nothing of another storefront's", async () => {
    await stored('sf_mine', 2);

    expect(await repository.list({ storefrontId: 'sf_theirs', limit: 10 })).toEqual({
      data: [],
      nextCursor: null,
    });
  });
});
