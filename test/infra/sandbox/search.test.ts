import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, callGateway, jwtSale } from './gateway-calls';

describe('Endpoint: GET /rest/v2/transactions (lookup and search)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const search = (query: string) => callGateway(sandbox, 'GET', `/rest/v2/transactions?${query}`);

  it('looks a transaction up by id, in the documented list shape', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '15.55', { invoice: 'txn_1' });
    await approvedSale(sandbox, '3.00');

    // Act
    const answer = await search(`id=${saleId}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      code: '200',
      status: 'success',
      payload: {
        payloadType: 'transactions',
        transactions: { transaction: [{ id: saleId, type: 'SALE', amount: '15.55', result: 'APPROVED' }] },
        page: { number: '1', size: '25', 'total-elements': '1', 'total-pages': '1' },
      },
    });
  });

  it('finds by invoice and by order-id, newest first, never with the token id a sale created', async () => {
    // Prepare
    const declined = await approvedSale(sandbox, '0.21', { invoice: 'txn_9', 'order-id': 'order-9' });
    const tokenSale = await jwtSale(sandbox, sandbox.issueJwt(), {
      amount: '9.00',
      invoice: 'txn_9',
      'order-id': 'order-9',
      'create-token': true,
    });
    await approvedSale(sandbox, '9.00', { invoice: 'txn_other', 'order-id': 'order-other' });

    // Act
    const byInvoice = await search('invoice=txn_9');
    const byOrder = await search('order-id=order-9&page=1&page-size=10');

    // Assess
    const approvedId = tokenSale.body.payload.transaction?.id;
    const ids = byInvoice.body.payload.transactions?.transaction.map((item) => item.id);
    expect(ids).toEqual([approvedId, declined]);
    expect(byOrder.body.payload.transactions?.transaction.map((item) => item.id)).toEqual(ids);
    expect(byInvoice.body.payload.transactions?.transaction[0]).toMatchObject({ result: 'APPROVED' });
    expect(byInvoice.body.payload.transactions?.transaction[1]).toMatchObject({ result: 'DECLINED' });
    const tokenId = String(tokenSale.body.payload.tokenResponse?.['token-id']);
    expect(tokenId).toMatch(/^\d{19}$/);
    for (const answer of [byInvoice, byOrder, await search(`id=${approvedId}`)]) {
      expect(JSON.stringify(answer.body)).not.toContain(tokenId);
      expect(answer.body.links).toBeUndefined();
    }
  });

  it('lists a refund with the id of its sale', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '9.00');
    await callGateway(sandbox, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '1.00',
      invoice: 'r_1',
    });

    // Act
    const answer = await search('invoice=r_1');

    // Assess
    expect(answer.body.payload.transactions?.transaction).toEqual([
      expect.objectContaining({ type: 'REFUND', 'original-id': saleId, amount: '1.00' }),
    ]);
  });

  it('filters by amount and pages the results', async () => {
    // Prepare
    for (const invoice of ['a', 'b', 'c']) await approvedSale(sandbox, '7.00', { invoice });
    await approvedSale(sandbox, '8.00', { invoice: 'd' });

    // Act
    const secondPage = await search('amount=7.00&page=2&page-size=2');

    // Assess
    expect(secondPage.body.payload.transactions?.transaction.map((item) => item.invoice)).toEqual(['a']);
    expect(secondPage.body.payload.page).toEqual({
      number: '2',
      size: '2',
      'total-elements': '3',
      'total-pages': '2',
    });
  });

  it('tolerates date filters', async () => {
    // Prepare
    await approvedSale(sandbox, '7.00', { invoice: 'a' });

    // Act
    const answer = await search('invoice=a&start-date=2020-01-01&end-date=2099-01-01');

    // Assess
    expect(answer.body.payload.transactions?.transaction).toHaveLength(1);
  });

  it('answers 200 with an empty list for a page beyond the last one', async () => {
    // Prepare
    await approvedSale(sandbox, '7.00', { invoice: 'a' });

    // Act
    const answer = await search('invoice=a&page=2&page-size=1');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.transactions?.transaction).toEqual([]);
    expect(answer.body.payload.page).toMatchObject({ number: '2', 'total-elements': '1' });
  });

  it.each(['page=0', 'page-size=101', 'amount=1.234'])('refuses %s (400, 002)', async (query) => {
    // Act
    const answer = await search(query);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['result-code']).toBe('002');
  });
});

describe('Behaviour: emptySearchStatus, a search or lookup matching nothing', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const empty = (query: string) =>
    fetch(`${sandbox.url}/rest/v2/transactions?${query}`, {
      headers: { accept: 'application/json', 'api-key': sandbox.apiKey },
    });

  it.each(['id=404404', 'invoice=nothing', 'order-id=nothing', 'amount=3.00'])(
    'answers 204 No Content with no body by default (%s)',
    async (query) => {
      // Prepare
      await approvedSale(sandbox, '1.00', { invoice: 'something' });

      // Act
      const response = await empty(query);

      // Assess
      expect(sandbox.behaviour.emptySearchStatus).toBe(204);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    },
  );

  it('answers 200 with an empty list when so configured', async () => {
    // Prepare
    sandbox.configure({ emptySearchStatus: 200 });

    // Act
    const answer = await callGateway(sandbox, 'GET', '/rest/v2/transactions?invoice=nothing');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      code: '200',
      status: 'success',
      payload: { payloadType: 'transactions' },
    });
    expect(answer.body.payload.transactions?.transaction).toEqual([]);
    expect(answer.body.payload.page).toMatchObject({ 'total-elements': '0', 'total-pages': '0' });
  });

  it("answers 404 with Clearent's error envelope when so configured", async () => {
    // Prepare
    sandbox.configure({ emptySearchStatus: 404 });

    // Act
    const answer = await callGateway(sandbox, 'GET', '/rest/v2/transactions?id=404404');

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      code: '404',
      status: 'fail',
      'exchange-id': expect.stringMatching(/^ID-/),
      payload: { payloadType: 'error', error: { 'result-code': '027', 'time-stamp': expect.any(String) } },
    });
    expect(answer.body.payload.transactions).toBeUndefined();
  });

  it('answers 204 in the XML case too, with no body', async () => {
    // Act
    const response = await fetch(`${sandbox.url}/rest/v2/transactions?invoice=nothing`, {
      headers: { accept: 'application/xml', 'api-key': sandbox.apiKey },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });
});

describe('Behaviour: searchLagMs', () => {
  const start = new Date('2026-06-01T08:00:00.000Z');
  let clock: Date;
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: () => clock, behaviour: { searchLagMs: 5_000 } });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    clock = start;
    sandbox.reset();
  });

  const at = (ms: number) => new Date(start.getTime() + ms);

  it('shows a transaction in searches and lookups only once the clock reached created + lag', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '9.00', { invoice: 'txn_lag' });
    const statusAt = async (ms: number, query: string) => {
      clock = at(ms);
      const response = await fetch(`${sandbox.url}/rest/v2/transactions?${query}`, {
        headers: { accept: 'application/json', 'api-key': sandbox.apiKey },
      });
      return response.status;
    };

    // Act
    const byId = [];
    for (const ms of [0, 4_999, 5_000, 60_000]) byId.push(await statusAt(ms, `id=${saleId}`));
    const byInvoiceBefore = await statusAt(4_999, 'invoice=txn_lag');
    clock = at(5_000);
    const byInvoiceAfter = await callGateway(sandbox, 'GET', '/rest/v2/transactions?invoice=txn_lag');

    // Assess
    expect(byId).toEqual([204, 204, 200, 200]);
    expect(byInvoiceBefore).toBe(204);
    expect(byInvoiceAfter.body.payload.transactions?.transaction.map((t) => t.id)).toEqual([saleId]);
  });

  it('does not delay what the ledger records, nor a refund of the sale', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '9.00');

    // Act
    const refund = await callGateway(sandbox, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '9.00',
    });

    // Assess
    expect(refund.status).toBe(200);
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(900);
  });
});
