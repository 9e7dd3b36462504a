import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, callGateway } from './gateway-calls';

describe('Endpoints: refunds and voids', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const refund = (id: string, amount: string, path = '/rest/v2/transactions/refund') =>
    callGateway(sandbox, 'POST', path, { type: 'REFUND', id, amount, invoice: `refund_${amount}` });
  const voidOf = (id: string) =>
    callGateway(sandbox, 'POST', '/rest/v2/transactions/void', { type: 'VOID', id });

  it('accumulates partial refunds up to the sale amount, then refuses with 025', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '25.00');

    // Act
    const first = await refund(saleId, '10.00');
    const second = await refund(saleId, '15.00', '/rest/v2/transactions');
    const tooMuch = await refund(saleId, '0.01');

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.payload.transaction).toMatchObject({
      type: 'REFUND',
      amount: '10.00',
      result: 'APPROVED',
      invoice: 'refund_10.00',
      'last-four': '1111',
    });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body.payload.transaction).toMatchObject({ result: 'DECLINED', 'result-code': '025' });
    expect(tooMuch.body.payload.error?.['result-code']).toBe('025');
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(2500);
  });

  it('refuses a single refund larger than the sale (025)', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '25.00');

    // Act
    const answer = await refund(saleId, '25.01');

    // Assess
    expect(answer.status).toBe(402);
    expect(answer.body.payload.transaction?.['result-code']).toBe('025');
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(0);
  });

  it('refuses a refund of an unknown transaction (402, 027)', async () => {
    // Act
    const answer = await refund('999', '1.00');

    // Assess
    expect(answer.status).toBe(402);
    expect(answer.body.payload.transaction).toMatchObject({
      type: 'REFUND',
      result: 'DECLINED',
      'result-code': '027',
    });
  });

  it('refuses a refund of a declined sale (027)', async () => {
    // Prepare
    const declinedId = await approvedSale(sandbox, '0.21');

    // Act
    const answer = await refund(declinedId, '0.21');

    // Assess
    expect(answer.body.payload.transaction?.['result-code']).toBe('027');
  });

  it('refuses a refund without id (400, 011)', async () => {
    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/transactions/refund', { amount: '1.00' });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['result-code']).toBe('011');
  });

  it('voids a sale, after which neither a refund nor a second void is possible (024)', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '40.00', { invoice: 'txn_void' });

    // Act
    const voided = await voidOf(saleId);
    const refundAfter = await refund(saleId, '1.00');
    const voidAgain = await voidOf(saleId);

    // Assess
    expect(voided.status).toBe(200);
    expect(voided.body.payload.transaction).toMatchObject({
      type: 'VOID',
      amount: '40.00',
      result: 'APPROVED',
      invoice: 'txn_void',
    });
    expect(refundAfter.body.payload.transaction?.['result-code']).toBe('024');
    expect(voidAgain.body.payload.transaction?.['result-code']).toBe('024');
    expect(sandbox.ledger.voids.map((entry) => entry.originalId)).toEqual([saleId]);
    expect(sandbox.ledger.charges[0]?.voided).toBe(true);
  });

  it('voids a refund through the generic endpoint, making its amount refundable again', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '10.00');
    const refundId = String((await refund(saleId, '10.00')).body.payload.transaction?.id);

    // Act
    const voided = await callGateway(sandbox, 'POST', '/rest/v2/transactions', {
      type: 'VOID',
      id: refundId,
    });
    const refundAgain = await refund(saleId, '10.00');

    // Assess
    expect(voided.status).toBe(200);
    expect(refundAgain.status).toBe(200);
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(1000);
  });

  it('refuses to void a sale that has refunds (024) or an unknown id (027)', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '10.00');
    await refund(saleId, '1.00');

    // Act
    const withRefunds = await voidOf(saleId);
    const unknown = await voidOf('123');

    // Assess
    expect(withRefunds.status).toBe(402);
    expect(withRefunds.body.payload.transaction?.['result-code']).toBe('024');
    expect(unknown.body.payload.transaction?.['result-code']).toBe('027');
    expect(sandbox.ledger.voids).toHaveLength(0);
  });
});
