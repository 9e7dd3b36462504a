import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { cardSale, jwtSale } from './gateway-calls';

describe('Declines: sandbox trigger amounts and duplicate detection', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it.each([
    ['0.01', '007'],
    ['0.03', '031'],
    ['0.05', '004'],
    ['0.21', '012'],
    ['0.29', '003'],
    ['0.48', '021'],
    ['0.54', '032'],
  ])(
    'declines %s with result code %s: HTTP 402 with both transaction and error',
    async (amount, resultCode) => {
      // Act
      const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount, 'create-token': 'true' });

      // Assess
      expect(answer.status).toBe(402);
      expect(answer.body).toMatchObject({ code: '402', status: 'fail', payload: { payloadType: 'error' } });
      const { transaction, error, tokenResponse } = answer.body.payload;
      expect(transaction).toMatchObject({
        amount,
        type: 'SALE',
        result: 'DECLINED',
        'result-code': resultCode,
      });
      expect(error).toMatchObject({
        'result-code': resultCode,
        'error-message': transaction?.['display-message'],
      });
      expect(tokenResponse).toBeUndefined();
      expect(answer.body.links).toEqual([
        expect.objectContaining({ rel: 'transaction', id: transaction?.id }),
      ]);
      expect(sandbox.ledger.chargeCount).toBe(0);
      expect(sandbox.ledger.tokens).toHaveLength(0);
      expect(sandbox.ledger.transactions[0]).toMatchObject({ result: 'DECLINED', resultCode });
    },
  );

  it('answers the 0.14 trigger (invalid card, 009) with HTTP 400, as Clearent documents', async () => {
    // Act
    const answer = await cardSale(sandbox, '4111111111111111', '0.14');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.transaction).toMatchObject({ result: 'DECLINED', 'result-code': '009' });
    expect(answer.body.payload.error?.['result-code']).toBe('009');
  });

  it.each(['0.06', '0.99', '1.00', '25.00'])('approves %s, an amount outside the table', async (amount) => {
    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.payload.transaction?.result).toBe('APPROVED');
  });

  it('does not refuse repeats when duplicate detection is off (the default)', async () => {
    // Act
    const first = await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_dup' });
    const second = await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_dup' });

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sandbox.ledger.chargesForInvoice('txn_dup')).toHaveLength(2);
  });
});

describe('Declines: duplicate detection when configured', () => {
  let clock: Date;
  let sandbox: Sandbox;

  afterEach(() => sandbox.close());

  it('refuses the same invoice within the window (402, 032), and charges it again after', async () => {
    // Prepare
    clock = new Date('2026-05-01T10:00:00.000Z');
    sandbox = await startSandbox({
      now: () => clock,
      duplicateDetection: { windowMs: 60_000, match: 'invoice' },
    });
    await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_1' });

    // Act
    const repeat = await cardSale(sandbox, '4111111111111111', '21.00', { invoice: 'txn_1' });
    const otherInvoice = await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_2' });
    clock = new Date(clock.getTime() + 60_001);
    const afterWindow = await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_1' });

    // Assess
    expect(repeat.status).toBe(402);
    expect(repeat.body.payload.error?.['result-code']).toBe('032');
    expect([otherInvoice.status, afterWindow.status]).toEqual([200, 200]);
    expect(sandbox.ledger.chargesForInvoice('txn_1')).toHaveLength(2);
  });

  it('matches on last four and amount when so configured', async () => {
    // Prepare
    sandbox = await startSandbox({ duplicateDetection: { windowMs: 60_000, match: 'last-four-amount' } });
    await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_1' });

    // Act
    const sameCardAndAmount = await cardSale(sandbox, '4111111111111111', '20.00', { invoice: 'txn_2' });
    const otherAmount = await cardSale(sandbox, '4111111111111111', '20.01', { invoice: 'txn_3' });

    // Assess
    expect(sameCardAndAmount.status).toBe(402);
    expect(sameCardAndAmount.body.payload.transaction?.['result-code']).toBe('032');
    expect(otherAmount.status).toBe(200);
  });
});
