import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { callGateway, cardSale, jwtSale } from './gateway-calls';

/** Clearent's "Error Generation Data for Testing" table, copied from clearent-gateway.md (0.04 is 004). */
const DECLINE_TABLE: [resultCode: string, httpStatus: number, message: string, amounts: string[]][] = [
  ['003', 402, 'Declined by Issuer – Card expired', ['0.29']],
  ['004', 402, 'Card Expired', ['0.04', '0.05']],
  ['006', 402, 'Allowable Pin Entries Exceeded', ['0.40']],
  ['007', 402, 'Declined by Issuer – Referred – Please call Card Issuer', ['0.01', '0.02']],
  ['008', 402, 'Declined by Issuer – Invalid Amount', ['0.11', '0.32']],
  ['009', 400, 'Invalid Card Number', ['0.14']],
  ['010', 402, 'Declined by Issuer – Account not found', ['0.36', '0.37', '0.38']],
  ['011', 400, 'Invalid Request', ['0.31', '0.35', '0.39']],
  ['012', 402, 'Not Sufficient Funds', ['0.21']],
  ['014', 402, 'Declined by Issuer – Exceeds amount limit', ['0.23']],
  ['015', 402, 'Declined by Issuer – Transaction not permitted', ['0.43', '0.44']],
  ['016', 402, 'Declined by Issuer – Frequency limit exceeded', ['0.22', '0.25', '0.71']],
  ['018', 400, 'Invalid Pin', ['0.12', '0.13', '0.47']],
  ['021', 402, 'Declined by Issuer – Invalid card security code', ['0.48']],
  ['022', 400, 'Cashback Amount Exceeded', ['0.16']],
  ['023', 402, 'Transaction Declined By Issuer', ['0.09', '0.15', '0.17']],
  ['024', 402, 'Previously Reversed', ['0.10']],
  ['027', 402, 'Original Not Found', ['0.34']],
  ['030', 402, 'Invalid merchant ID – Please call Customer Support', ['0.46']],
  ['031', 402, 'Transaction Did Not Complete Normally, Please Retry', ['0.03']],
  ['032', 402, 'Duplicate Transaction', ['0.54']],
];
const DECLINES = DECLINE_TABLE.flatMap(([code, status, message, amounts]) =>
  amounts.map((amount) => [amount, code, status, message] as const),
);
const LISTED_APPROVALS = ['0.49', '0.80', '0.81', '0.82'];

describe('Declines: the sandbox trigger table', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it.each(DECLINES)(
    'declines a card sale of %s with %s, HTTP %i, with both transaction and error',
    async (amount, resultCode, httpStatus, message) => {
      // Act
      const answer = await cardSale(sandbox, '4111111111111111', amount, { 'create-token': 'true' });

      // Assess
      expect(answer.status).toBe(httpStatus);
      expect(answer.body).toMatchObject({
        code: String(httpStatus),
        status: 'fail',
        payload: { payloadType: 'error' },
      });
      const { transaction, error, tokenResponse } = answer.body.payload;
      expect(transaction).toMatchObject({
        amount,
        type: 'SALE',
        result: 'DECLINED',
        'result-code': resultCode,
        'display-message': message,
      });
      expect(error).toEqual({ 'result-code': resultCode, 'error-message': message });
      expect(tokenResponse).toBeUndefined();
      expect(answer.body.links).toEqual([
        expect.objectContaining({ rel: 'transaction', id: transaction?.id }),
      ]);
      expect(sandbox.ledger.chargeCount).toBe(0);
      expect(sandbox.ledger.tokens).toHaveLength(0);
      expect(sandbox.ledger.transactions).toEqual([
        expect.objectContaining({ id: transaction?.id, result: 'DECLINED', resultCode }),
      ]);
    },
  );

  it.each(LISTED_APPROVALS)('approves a JWT sale of %s: listed as 000 in the table', async (amount) => {
    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.transaction).toMatchObject({ result: 'APPROVED', 'result-code': '000' });
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it.each([
    ['0.21', '012'],
    ['0.14', '009'],
    ['0.04', '004'],
  ])('keeps the table result of %s (%s) on a JWT sale, not the under-1.00 decline', async (amount, code) => {
    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount });

    // Assess
    expect(answer.body.payload.transaction?.['result-code']).toBe(code);
  });

  it('declines a refund of a trigger amount with the table result', async () => {
    // Prepare
    const sale = await cardSale(sandbox, '4111111111111111', '10.00');
    const saleId = String(sale.body.payload.transaction?.id);

    // Act
    const refund = await callGateway(sandbox, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '0.21',
    });

    // Assess
    expect(refund.status).toBe(402);
    expect(refund.body.payload.transaction).toMatchObject({ type: 'REFUND', 'result-code': '012' });
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(0);
  });
});

describe('Declines: JWT sales under 1.00 (behaviour mobileAmountsUnderOneDecline)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it.each(['0.06', '0.50', '0.99'])(
    'declines a JWT sale of %s, outside the table (402, 023), and records it declined',
    async (amount) => {
      // Act
      const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount, 'create-token': 'true' });

      // Assess
      expect(answer.status).toBe(402);
      expect(answer.body.payload.transaction).toMatchObject({
        amount,
        result: 'DECLINED',
        'result-code': '023',
        'display-message': 'Transaction Declined By Issuer',
      });
      expect(answer.body.payload.error?.['result-code']).toBe('023');
      expect(sandbox.ledger.chargeCount).toBe(0);
      expect(sandbox.ledger.tokens).toHaveLength(0);
      expect(sandbox.ledger.transactions).toEqual([expect.objectContaining({ result: 'DECLINED' })]);
    },
  );

  it.each(['1.00', '25.00'])('approves a JWT sale of %s', async (amount) => {
    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount });

    // Assess
    expect(answer.status).toBe(200);
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('approves a card sale under 1.00 outside the table: the rule is for JWT sales only', async () => {
    // Act
    const answer = await cardSale(sandbox, '4111111111111111', '0.06');

    // Assess
    expect(answer.status).toBe(200);
  });

  it('approves a JWT sale under 1.00 once the behaviour is off', async () => {
    // Prepare
    sandbox.configure({ mobileAmountsUnderOneDecline: false });

    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount: '0.06' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.transaction?.result).toBe('APPROVED');
  });
});
