import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, callGateway, cardSale, jwtSale, saleCreatingToken } from './gateway-calls';

describe('Ledger: what tests can read of what the gateway did', () => {
  let clock: Date;
  let sandbox: Sandbox;

  beforeAll(async () => {
    clock = new Date('2026-07-04T09:30:00.000Z');
    sandbox = await startSandbox({ now: () => clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('records sales, refunds, voids and tokens with amounts in cents and masked cards', async () => {
    // Prepare
    const tokenId = await saleCreatingToken(sandbox, '50.00');
    const saleId = String(sandbox.ledger.charges[0]?.id);

    // Act
    await cardSale(sandbox, tokenId, '5.00', { invoice: 'txn_2', 'order-id': 'order-2' });
    await callGateway(sandbox, 'POST', '/rest/v2/transactions/refund', { id: saleId, amount: '20.00' });
    const secondSaleId = String(sandbox.ledger.charges[1]?.id);
    await callGateway(sandbox, 'POST', '/rest/v2/transactions/void', { id: secondSaleId });
    await approvedSale(sandbox, '0.21');

    // Assess
    const ledger = sandbox.ledger;
    expect(ledger.transactions.map((t) => [t.type, t.amount, t.result, t.resultCode])).toEqual([
      ['SALE', 5000, 'APPROVED', '000'],
      ['SALE', 500, 'APPROVED', '000'],
      ['REFUND', 2000, 'APPROVED', '000'],
      ['VOID', 500, 'APPROVED', '000'],
      ['SALE', 21, 'DECLINED', '012'],
    ]);
    expect(ledger.transactions[1]).toMatchObject({
      tokenId,
      tokenCreated: false,
      invoice: 'txn_2',
      orderId: 'order-2',
      endpoint: 'POST /rest/v2/transactions/sale',
      created: clock,
      card: { lastFour: '1111', cardType: 'VISA', expDate: '1228' },
      voided: true,
    });
    expect(ledger.chargeCount).toBe(2);
    expect(ledger.refundedAmount(saleId)).toBe(2000);
    expect(ledger.voids.map((entry) => entry.originalId)).toEqual([secondSaleId]);
    expect(ledger.tokens).toEqual([expect.objectContaining({ tokenId, timesUsed: 1, deleted: false })]);
  });

  it('lists every transaction of an invoice, oldest first, whatever its type and result', async () => {
    // Prepare
    const declined = await approvedSale(sandbox, '0.21', { invoice: 'txn_7' });
    const saleId = await approvedSale(sandbox, '9.00', { invoice: 'txn_7' });
    const refund = await callGateway(sandbox, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '9.00',
      invoice: 'txn_7',
    });
    const refundId = String(refund.body.payload.transaction?.id);
    await callGateway(sandbox, 'POST', '/rest/v2/transactions/void', { id: refundId });
    await approvedSale(sandbox, '9.00', { invoice: 'txn_other' });

    // Act
    const forInvoice = sandbox.ledger.transactionsForInvoice('txn_7');

    // Assess
    expect(forInvoice.map((t) => [t.type, t.result, t.originalId])).toEqual([
      ['SALE', 'DECLINED', undefined],
      ['SALE', 'APPROVED', undefined],
      ['REFUND', 'APPROVED', saleId],
      ['VOID', 'APPROVED', refundId],
    ]);
    expect(forInvoice[0]?.id).toBe(declined);
    expect(sandbox.ledger.chargesForInvoice('txn_7').map((t) => t.id)).toEqual([saleId]);
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(0);
    expect(sandbox.ledger.transactionsForInvoice('txn_none')).toEqual([]);
  });

  it('counts requests per endpoint, refused ones included', async () => {
    // Prepare
    await approvedSale(sandbox, '1.00');
    await cardSale(sandbox, '4111111111111111', '1.00', { amount: undefined });
    await callGateway(sandbox, 'GET', '/rest/v2/tokens/123');
    await callGateway(sandbox, 'GET', '/rest/v2/tokens/456', undefined, { 'api-key': 'wrong' });

    // Assess
    expect(sandbox.ledger.requestCounts).toEqual({
      'POST /rest/v2/mobile/transactions/sale': 1,
      'POST /rest/v2/transactions/sale': 1,
      'GET /rest/v2/tokens/{id}': 2,
    });
  });

  it('never holds a card number or a JWT, in process or over HTTP', async () => {
    // Prepare
    const jwt = sandbox.issueJwt('5454545454545454');
    await jwtSale(sandbox, jwt, { amount: '3.00', 'create-token': 'true' });
    await cardSale(sandbox, '4111111111111111', '4.00');

    // Act
    const inProcess = JSON.stringify({ ...sandbox.ledger, transactions: sandbox.ledger.transactions });
    const overHttp = await (await fetch(`${sandbox.url}/_sandbox/ledger`)).text();

    // Assess
    for (const text of [inProcess, overHttp]) {
      expect(text).toContain('5454');
      expect(text).not.toContain('5454545454545454');
      expect(text).not.toContain('4111111111111111');
      expect(text).not.toContain(jwt);
      expect(text).not.toContain(jwt.split('.')[2]);
    }
  });

  it('gives copies that tests cannot use to change the simulator', async () => {
    // Prepare
    await approvedSale(sandbox, '1.00');
    const copy = sandbox.ledger.transactions[0];

    // Act
    copy?.created.setFullYear(1999);

    // Assess
    expect(Object.isFrozen(copy)).toBe(true);
    expect(sandbox.ledger.transactions[0]?.created).toEqual(clock);
  });

  it('forgets everything on reset, JWTs included', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();
    await saleCreatingToken(sandbox);

    // Act
    sandbox.reset();
    const answer = await jwtSale(sandbox, jwt, { amount: '1.00' });

    // Assess
    expect(answer.status).toBe(400);
    expect(sandbox.ledger.transactions).toEqual([]);
    expect(sandbox.ledger.tokens).toEqual([]);
    expect(sandbox.ledger.requestCounts).toEqual({ 'POST /rest/v2/mobile/transactions/sale': 1 });
  });
});
