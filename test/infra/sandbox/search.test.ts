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

  it('answers an empty list for an unknown id', async () => {
    // Act
    const answer = await search('id=404404');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.transactions?.transaction).toEqual([]);
  });

  it('finds by invoice and by order-id, newest first, with the token id a sale created', async () => {
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
    expect(byInvoice.body.payload.transactions?.transaction[0]).toMatchObject({
      result: 'APPROVED',
      'token-id': tokenSale.body.payload.tokenResponse?.['token-id'],
    });
    expect(byInvoice.body.payload.transactions?.transaction[1]).toMatchObject({ result: 'DECLINED' });
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

  it.each(['page=0', 'page-size=101', 'amount=1.234'])('refuses %s (400, 002)', async (query) => {
    // Act
    const answer = await search(query);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['result-code']).toBe('002');
  });
});
