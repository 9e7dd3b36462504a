import { type DuplicateDetection, type Sandbox, startSandbox } from '../../../infra/sandbox';
import { cardSale, jwtSale } from './gateway-calls';

const CARD = '4111111111111111';

describe('Behaviour: duplicateDetection', () => {
  let clock: Date;
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: () => clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    clock = new Date('2026-05-01T10:00:00.000Z');
    sandbox.reset();
  });

  const detect = (rule: Partial<DuplicateDetection>) =>
    sandbox.configure({
      duplicateDetection: { windowMs: 60_000, match: 'invoice', respondWith: 'earlier-transaction', ...rule },
    });

  it('is off by default: a repeat is charged again', async () => {
    // Act
    const first = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_dup' });
    const second = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_dup' });

    // Assess
    expect(sandbox.behaviour.duplicateDetection).toBe(false);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sandbox.ledger.chargesForInvoice('txn_dup')).toHaveLength(2);
  });

  it('earlier-transaction: answers 200 with the EARLIER sale and records nothing new', async () => {
    // Prepare
    detect({ match: 'invoice', respondWith: 'earlier-transaction' });
    const first = await jwtSale(sandbox, sandbox.issueJwt(), { amount: '20.00', invoice: 'txn_1' });
    const earlier = first.body.payload.transaction;

    // Act
    const repeat = await jwtSale(sandbox, sandbox.issueJwt(), {
      amount: '21.00',
      invoice: 'txn_1',
      'create-token': 'true',
    });

    // Assess
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({
      code: '200',
      status: 'success',
      payload: { payloadType: 'transaction' },
    });
    expect(repeat.body.payload.transaction).toEqual({
      ...earlier,
      'display-message': 'Transaction Previously Approved',
    });
    expect(repeat.body.payload.transaction).toMatchObject({
      id: earlier?.id,
      amount: '20.00',
      invoice: 'txn_1',
    });
    expect(repeat.body.payload.tokenResponse).toBeUndefined();
    expect(repeat.body.links).toEqual([expect.objectContaining({ rel: 'transaction', id: earlier?.id })]);
    expect(sandbox.ledger.transactions).toHaveLength(1);
    expect(sandbox.ledger.tokens).toHaveLength(0);
  });

  it('earlier-transaction on last four and amount: the earlier sale keeps its own invoice', async () => {
    // Prepare
    detect({ match: 'last-four-amount' });
    const first = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_1' });

    // Act
    const sameCardAndAmount = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_2' });
    const otherAmount = await cardSale(sandbox, CARD, '20.01', { invoice: 'txn_3' });

    // Assess
    expect(sameCardAndAmount.status).toBe(200);
    expect(sameCardAndAmount.body.payload.transaction).toMatchObject({
      id: first.body.payload.transaction?.id,
      invoice: 'txn_1',
    });
    expect(sandbox.ledger.transactionsForInvoice('txn_2')).toEqual([]);
    expect(otherAmount.body.payload.transaction?.invoice).toBe('txn_3');
    expect(sandbox.ledger.chargeCount).toBe(2);
  });

  it('error: refuses the same invoice within the window (402, 032), and charges it again after', async () => {
    // Prepare
    detect({ match: 'invoice', respondWith: 'error' });
    await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_1' });

    // Act
    const repeat = await cardSale(sandbox, CARD, '21.00', { invoice: 'txn_1' });
    const otherInvoice = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_2' });
    clock = new Date(clock.getTime() + 60_001);
    const afterWindow = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_1' });

    // Assess
    expect(repeat.status).toBe(402);
    expect(repeat.body.payload.transaction).toMatchObject({ result: 'DECLINED', 'result-code': '032' });
    expect(repeat.body.payload.error?.['result-code']).toBe('032');
    expect([otherInvoice.status, afterWindow.status]).toEqual([200, 200]);
    expect(sandbox.ledger.chargesForInvoice('txn_1')).toHaveLength(2);
    expect(sandbox.ledger.transactionsForInvoice('txn_1').map((t) => t.result)).toEqual([
      'APPROVED',
      'DECLINED',
      'APPROVED',
    ]);
  });

  it('error on last four and amount: refuses the same card and amount under another invoice', async () => {
    // Prepare
    detect({ match: 'last-four-amount', respondWith: 'error' });
    await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_1' });

    // Act
    const repeat = await cardSale(sandbox, CARD, '20.00', { invoice: 'txn_2' });
    const otherCard = await cardSale(sandbox, '5454545454545454', '20.00', { invoice: 'txn_3' });

    // Assess
    expect(repeat.status).toBe(402);
    expect(repeat.body.payload.transaction?.['result-code']).toBe('032');
    expect(otherCard.status).toBe(200);
  });

  it('ignores declined earlier sales and sales outside the window', async () => {
    // Prepare
    detect({ match: 'invoice' });
    await cardSale(sandbox, CARD, '0.21', { invoice: 'txn_1' });
    await cardSale(sandbox, CARD, '5.00', { invoice: 'txn_2' });
    clock = new Date(clock.getTime() + 60_001);

    // Act
    const afterDecline = await cardSale(sandbox, CARD, '5.00', { invoice: 'txn_1' });
    const afterWindow = await cardSale(sandbox, CARD, '5.00', { invoice: 'txn_2' });

    // Assess
    expect(afterDecline.body.payload.transaction?.invoice).toBe('txn_1');
    expect(sandbox.ledger.chargesForInvoice('txn_1')).toHaveLength(1);
    expect(sandbox.ledger.chargesForInvoice('txn_2')).toHaveLength(2);
    expect(afterWindow.status).toBe(200);
  });
});
