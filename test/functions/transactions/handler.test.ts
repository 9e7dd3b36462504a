import { createCursorCodec } from '../../../shared/store/cursor';
import { keys } from '../../../shared/store/keys';
import {
  type ErrorAnswer,
  shopA,
  startApi,
  type TestApi,
  type TransactionList,
  type TransactionResource,
  unique,
} from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** Three sales of a fresh customer, oldest first, and a refund of the first (newest of all). */
async function customerHistory(): Promise<{ customerId: string; ids: string[] }> {
  const { customerId, cardId, sale: first } = await api.saveCard();
  const ids = [first.id];
  for (const amount of ['2.00', '3.00']) {
    const sale = await api.post('/v1/sales/token', { amount, customerId, cardId });
    ids.push(sale.json<TransactionResource>().id);
  }
  const refund = await api.post('/v1/refunds', { transactionId: first.id, amount: '1.00' });
  ids.push(refund.json<TransactionResource>().id);
  return { customerId, ids };
}

describe('Function: transactions handler', () => {
  it('reads a transaction by id (200), as the sale answered it', async () => {
    // Prepare
    const sale = await api.jwtSale('7.5', { orderId: 'A-3003' });

    // Act
    const read = await api.get(`/v1/transactions/${sale.json<TransactionResource>().id}`);

    // Assess
    expect(read.status).toBe(200);
    expect(read.json<TransactionResource>()).toEqual(sale.json<TransactionResource>());
    expect(read.json<TransactionResource>()).toMatchObject({ amount: '7.50', orderId: 'A-3003' });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    // Act
    const unknown = await api.get('/v1/transactions/txn_doesNotExist');
    const malformed = await api.get('/v1/transactions/sale-1');

    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.json<ErrorAnswer>()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: 'No such transaction',
        param: 'transactionId',
      },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json<ErrorAnswer>().error).toMatchObject({
      code: 'validation_error',
      param: 'transactionId',
    });
  });

  it("lists a customer's transactions newest first, and only theirs", async () => {
    // Prepare
    const { customerId, ids } = await customerHistory();
    await api.saveCard();

    // Act
    const list = await api.get(`/v1/transactions?customerId=${customerId}`);

    // Assess
    expect(list.status).toBe(200);
    const page = list.json<TransactionList>();
    expect(page.data.map((transaction) => transaction.id)).toEqual([...ids].reverse());
    expect(page.data.map((transaction) => [transaction.type, transaction.amount])).toEqual([
      ['refund', '1.00'],
      ['sale', '3.00'],
      ['sale', '2.00'],
      ['sale', '5.00'],
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('pages with limit and cursor, newest first, with no gap and no repeat', async () => {
    // Prepare
    const { customerId, ids } = await customerHistory();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;

    // Act
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await api.get(`/v1/transactions?customerId=${customerId}&limit=3${query}`);
      expect(response.status).toBe(200);
      const page = response.json<TransactionList>();
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((transaction) => transaction.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 5);

    // Assess
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('lists the whole storefront newest first when no customer is given', async () => {
    // Prepare
    const newest = (await api.jwtSale('4.44')).json<TransactionResource>();

    // Act
    const list = await api.get('/v1/transactions?limit=1');

    // Assess
    expect(list.status).toBe(200);
    const page = list.json<TransactionList>();
    expect(page.data.map((transaction) => transaction.id)).toEqual([newest.id]);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ['a cursor that is not ours', 'cursor=not-a-cursor', 'cursor'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit of 101', 'limit=101', 'limit'],
    ['a limit that is not a number', 'limit=ten', 'limit'],
    ['an unknown parameter', 'customer=cus_1', 'customer'],
    ['a malformed customerId', 'customerId=%20cus', 'customerId'],
  ])('answers 400 for %s', async (_case, query, param) => {
    // Act
    const response = await api.get(`/v1/transactions?${query}`);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('refuses a crafted cursor (400 invalid_cursor), unsigned or signed with another secret, and follows a real one', async () => {
    // Prepare
    const { customerId, ids } = await customerHistory();
    const list = `/v1/transactions?customerId=${customerId}&limit=2`;
    const first = (await api.get(list)).json<TransactionList>();
    const lastShown = first.data[1];
    if (!lastShown || first.nextCursor === null) throw new Error('expected a first page of two, and more');
    // The key DynamoDB returns after that page, built from what the API shows: what a cursor was before signing.
    const startKey = {
      ...keys.transaction(shopA.storefrontId, lastShown.id),
      gsi2pk: keys.customerTimeline(shopA.storefrontId, customerId),
      gsi2sk: `${lastShown.createdAt}#${lastShown.id}`,
    };
    const unsigned = Buffer.from(JSON.stringify(startKey)).toString('base64url');
    const otherSecret = createCursorCodec('another-secret-than-the-runtimes-0123456789').encode(startKey);

    // Act
    const crafted = await api.get(`${list}&cursor=${unsigned}`);
    const foreign = await api.get(`${list}&cursor=${encodeURIComponent(otherSecret ?? '')}`);
    const real = await api.get(`${list}&cursor=${encodeURIComponent(first.nextCursor)}`);

    // Assess
    for (const refused of [crafted, foreign]) {
      expect(refused.status).toBe(400);
      expect(refused.json<ErrorAnswer>().error).toMatchObject({ code: 'invalid_cursor', param: 'cursor' });
    }
    expect(real.status).toBe(200);
    expect(real.json<TransactionList>().data.map((transaction) => transaction.id)).toEqual(
      [...ids].reverse().slice(2),
    );
    // The crafted key is the very key the real cursor carries: only the signature tells them apart.
    const [payload = ''] = first.nextCursor.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual(startKey);
  });

  it("refuses another customer's cursor (400), so a cursor cannot reach another list", async () => {
    // Prepare
    const { customerId } = await customerHistory();
    const first = await api.get(`/v1/transactions?customerId=${customerId}&limit=1`);
    const { nextCursor } = first.json<TransactionList>();

    // Act
    const response = await api.get(
      `/v1/transactions?customerId=${unique('cus')}&cursor=${encodeURIComponent(nextCursor ?? '')}`,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ code: 'invalid_cursor', param: 'cursor' });
  });
});
