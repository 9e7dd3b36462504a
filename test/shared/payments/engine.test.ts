import type { GatewayTransaction } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { metrics } from '../../../shared/observability/metrics';
import { drive } from '../../../shared/payments/engine/drive';
import { classify, isPastSettleWindow, secondsUntilSettled } from '../../../shared/payments/engine/resolve';
import { reconcile } from '../../../shared/payments/reconciliation';
import { tokenSaleMovement } from '../../../shared/payments/sale';
import type { Transaction } from '../../../shared/payments/transaction';
import { timeoutAfterCharging, timeoutBeforeCharging } from '../../support/fake-gateway';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';
import {
  addCard,
  approvedSale,
  bodyOf,
  operations,
  refundOf,
  SETTLE_WINDOW_MS,
  STOREFRONT,
  sellWithCard,
  stored,
} from './payments-setup';

/** A pending 10.00 sale `txn_000001` whose first send Clearent charged, plus `extra` approvals for its invoice. */
async function chargedTwice(
  ports: TestPorts,
): Promise<{ ours: GatewayTransaction; extra: GatewayTransaction }> {
  await addCard(ports);
  ports.fakeGateway.script(timeoutAfterCharging());
  await sellWithCard(ports);
  const [extra] = ports.fakeGateway.record({
    type: 'SALE',
    invoice: 'txn_000001',
    amount: parseAmount('10.00'),
  });
  const [ours] = ports.fakeGateway.ledger;
  if (!ours || !extra) throw new Error('the gateway should hold two approvals');
  return { ours, extra };
}

describe('Function: drive, several approvals for one invoice', () => {
  afterEach(() => jest.restoreAllMocks());

  it('records the oldest approval as ours and voids the extra one, keeping what was done on the transaction', async () => {
    // Prepare
    const ports = memoryPorts();
    const { ours, extra } = await chargedTwice(ports);
    const addMetric = jest.spyOn(metrics, 'addMetric');
    ports.advance(5_000);

    // Act
    const retry = await sellWithCard(ports);

    // Assess
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({
      status: 'approved',
      gateway: { transactionId: ours.transactionId },
    });
    expect(ports.fakeGateway.calls.slice(1)).toEqual([
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
      { operation: 'void', request: { transactionId: extra.transactionId } },
    ]);
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'approved',
      gateway: { transactionId: ours.transactionId },
      reversedDuplicates: [
        { gatewayTransactionId: extra.transactionId, reversal: 'void', at: '2026-11-24T10:00:05.000Z' },
      ],
    });
    expect(addMetric).toHaveBeenCalledWith('duplicate_charge_reversed', 'Count', 1);
    expect(addMetric).not.toHaveBeenCalledWith('DuplicateChargeNotReversed', 'Count', 1);
  });

  it('refunds the extra approval when the gateway declines its void (a closed batch)', async () => {
    // Prepare
    const ports = memoryPorts();
    const { extra } = await chargedTwice(ports);
    ports.fakeGateway.scriptVoid({ outcome: 'declined', resultCode: '027', message: 'Batch closed' });

    // Act
    const retry = await sellWithCard(ports);

    // Assess
    expect(retry.statusCode).toBe(201);
    expect(ports.fakeGateway.calls.slice(1)).toEqual([
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
      { operation: 'void', request: { transactionId: extra.transactionId } },
      { operation: 'refund', request: { saleTransactionId: extra.transactionId, amount: 1000 } },
    ]);
    expect((await stored(ports, 'txn_000001'))?.reversedDuplicates).toEqual([
      { gatewayTransactionId: extra.transactionId, reversal: 'refund', at: '2026-11-24T10:00:00.000Z' },
    ]);
  });

  it('records a duplicate it could neither void nor refund as failed, and counts it for the alarm', async () => {
    const ports = memoryPorts();
    const { extra } = await chargedTwice(ports);
    ports.fakeGateway.scriptVoid({ outcome: 'declined', resultCode: '027', message: 'Batch closed' });
    ports.fakeGateway.script({ outcome: 'declined', resultCode: '025', message: 'Refund refused' });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const retry = await sellWithCard(ports);

    expect(retry.statusCode).toBe(201);
    expect((await stored(ports, 'txn_000001'))?.reversedDuplicates).toEqual([
      { gatewayTransactionId: extra.transactionId, reversal: 'failed', at: '2026-11-24T10:00:00.000Z' },
    ]);
    expect(addMetric).toHaveBeenCalledWith('duplicate_charge_reversed', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('DuplicateChargeNotReversed', 'Count', 1);
  });

  it('does not void anything again once the sale is settled', async () => {
    const ports = memoryPorts();
    await chargedTwice(ports);
    await sellWithCard(ports);

    const replay = await sellWithCard(ports);

    expect(replay).toMatchObject({ statusCode: 201, replayed: true });
    expect(ports.fakeGateway.count('void')).toBe(1);
  });
});

describe('Function: drive, refund holds', () => {
  it('gives a refund hold back once only: a resolver that lost to a resend leaves the new hold alone', async () => {
    // Prepare: a refund whose send never reached Clearent, past the settle window. A first reconciliation
    // (A) searches, then stalls before recording "not charged"; a second one (B) records it and gives
    // the hold back; the storefront's retry holds it again and refunds.
    const ports = memoryPorts();
    approvedSale(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await refundOf(ports, 'txn_sale', parseAmount('30.00'), 'refund-1');
    ports.advance(SETTLE_WINDOW_MS + 1);
    const search = ports.fakeGateway.searchTransactions.bind(ports.fakeGateway);
    let resumeA: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => {
      resumeA = resolve;
    });
    let searches = 0;
    ports.fakeGateway.searchTransactions = async (request) => {
      const found = await search(request);
      searches += 1;
      if (searches === 1) await stalled;
      return found;
    };
    const reconciliationA = reconcile(ports, ports.clock.now());
    await new Promise((resolve) => setImmediate(resolve));
    await reconcile(ports, ports.clock.now());
    const afterB = (await stored(ports, 'txn_sale'))?.refunded;
    const retry = await refundOf(ports, 'txn_sale', parseAmount('30.00'), 'refund-1');

    // Act
    resumeA();
    const summaryA = await reconciliationA;

    // Assess
    expect(afterB).toBe(0);
    expect(retry.statusCode).toBe(201);
    expect(summaryA).toMatchObject({ examined: 1, resolved: 1, notCharged: 0 });
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved', sendCount: 2 });
    expect(await stored(ports, 'txn_sale')).toMatchObject({ refunded: 3000 });
    expect(operations(ports)).toEqual(['refund', 'searchTransactions', 'searchTransactions', 'refund']);
  });
});

describe('Function: drive, a resend racing reconciliation', () => {
  // Found by this test: a retry checks its refund's hold in `prepare`, then begins the resend. If
  // reconciliation records the attempt not charged in between (giving the hold back), the begin must
  // fail (it is conditioned on the status seen too, not only the send count) and the retry start over,
  // taking the hold again; otherwise the refund is sent with no hold and refunds exceed the sale.
  it('never sends a refund without its hold: a hold given back between the check and the resend is taken again', async () => {
    // Prepare: a refund whose send never reached Clearent, past the settle window. The retry checks its
    // hold, then stalls; reconciliation records the refund not charged and gives the hold back.
    const ports = memoryPorts();
    approvedSale(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await refundOf(ports, 'txn_sale', parseAmount('30.00'), 'refund-1');
    ports.advance(SETTLE_WINDOW_MS + 1);
    const refundHold = ports.transactions.refundHold.bind(ports.transactions);
    let resumeRetry: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => {
      resumeRetry = resolve;
    });
    ports.transactions.refundHold = jest
      .fn()
      .mockImplementationOnce(async (...args: Parameters<typeof refundHold>) => {
        const held = await refundHold(...args);
        await stalled;
        return held;
      })
      .mockImplementation(refundHold);
    const retry = refundOf(ports, 'txn_sale', parseAmount('30.00'), 'refund-1');
    await new Promise((resolve) => setImmediate(resolve));
    const reconciled = await reconcile(ports, ports.clock.now());

    // Act
    resumeRetry();
    const resent = await retry;
    const whole = await refundOf(ports, 'txn_sale', parseAmount('100.00'), 'refund-2');

    // Assess
    expect(reconciled).toMatchObject({ notCharged: 1 });
    expect(resent.statusCode).toBe(201);
    const approvedRefunds = [...ports.transactions.items.values()]
      .filter((t) => t.type === 'refund' && t.status === 'approved')
      .reduce((total, t) => total + t.amount, 0);
    expect({
      whole: whole.statusCode,
      approvedRefunds,
      refundedOnSale: (await stored(ports, 'txn_sale'))?.refunded,
    }).toEqual({ whole: 422, approvedRefunds: 3000, refundedOnSale: 3000 });
  });
});

describe('Function: drive, in resolve mode', () => {
  it('never drafts nor sends: no transaction, nothing done', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    const input = {
      storefrontId: STOREFRONT,
      amount: parseAmount('10.00'),
      customerId: 'cus_42',
      cardId: 'card_1',
    };

    const result = await drive(ports, tokenSaleMovement(ports, input, 'txn_x'), 'resolve');

    expect(result).toBeUndefined();
    expect(ports.fakeGateway.calls).toEqual([]);
    expect(ports.transactions.items.size).toBe(0);
  });

  it('never resends an attempt known not charged', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.transactions.seed({
      id: 'txn_x',
      storefrontId: STOREFRONT,
      type: 'sale',
      status: 'failed',
      failureCode: 'not_charged',
      amount: parseAmount('10.00'),
      refunded: parseAmount('0'),
      createdAt: '2026-11-24T09:00:00.000Z',
      sendCount: 1,
      lastSentAt: '2026-11-24T09:00:00.000Z',
    });
    const input = {
      storefrontId: STOREFRONT,
      amount: parseAmount('10.00'),
      customerId: 'cus_42',
      cardId: 'card_1',
    };

    const result = await drive(ports, tokenSaleMovement(ports, input, 'txn_x'), 'resolve');

    expect(result).toMatchObject({ status: 'failed', failureCode: 'not_charged' });
    expect(ports.fakeGateway.calls).toEqual([]);
  });
});

const ATTEMPT: Transaction = {
  id: 'txn_1',
  storefrontId: STOREFRONT,
  type: 'sale',
  status: 'pending',
  amount: parseAmount('10.00'),
  refunded: parseAmount('0'),
  createdAt: '2026-11-24T09:00:00.000Z',
  sendCount: 1,
  lastSentAt: '2026-11-24T10:00:00.000Z',
};

const found = (fields: Partial<GatewayTransaction>): GatewayTransaction => ({
  outcome: 'approved',
  type: 'SALE',
  transactionId: '1',
  amount: parseAmount('10.00'),
  invoice: 'txn_1',
  resultCode: '000',
  message: 'Transaction approved',
  card: {},
  created: '2026-11-24 10:00:00.000',
  ...fields,
});

describe('Function: classify', () => {
  it('takes no results as an absence', () => {
    expect(classify(ATTEMPT, 'SALE', [])).toEqual({ kind: 'absent' });
  });

  it('takes a result without a type as unknown, even beside an approval', () => {
    const typeless = found({ transactionId: '2', type: undefined });

    expect(classify(ATTEMPT, 'SALE', [typeless])).toEqual({ kind: 'unknown' });
    expect(classify(ATTEMPT, 'SALE', [found({}), typeless])).toEqual({ kind: 'unknown' });
  });

  it('ignores results of another type, invoice or amount', () => {
    const others = [
      found({ type: 'REFUND' }),
      found({ type: 'VOID' }),
      found({ invoice: 'txn_2' }),
      found({ amount: parseAmount('1.00') }),
    ];

    expect(classify(ATTEMPT, 'SALE', others)).toEqual({ kind: 'absent' });
  });

  it('finds a refund by its type, in any letter case', () => {
    const refund = found({ type: 'refund' });

    expect(classify({ ...ATTEMPT, type: 'refund' }, 'REFUND', [refund])).toEqual({
      kind: 'found',
      record: refund,
      extras: [],
    });
  });

  it('prefers an approval to a newer decline, and the oldest approval to the others', () => {
    const declined = found({ transactionId: '9', outcome: 'declined', created: '2026-11-24 10:00:09.000' });
    const newer = found({ transactionId: '3', created: '2026-11-24 10:00:03.000' });
    const oldest = found({ transactionId: '1', created: '2026-11-24 10:00:01.000' });
    const middle = found({ transactionId: '2', created: '2026-11-24 10:00:02.000' });

    expect(classify(ATTEMPT, 'SALE', [declined, newer, oldest, middle])).toEqual({
      kind: 'found',
      record: oldest,
      extras: [middle, newer],
    });
  });

  it('takes the latest decline when nothing was approved', () => {
    const first = found({ transactionId: '1', outcome: 'declined', created: '2026-11-24 10:00:01.000' });
    const latest = found({ transactionId: '2', outcome: 'declined', created: '2026-11-24 10:00:02.000' });

    expect(classify(ATTEMPT, 'SALE', [latest, first])).toEqual({ kind: 'found', record: latest, extras: [] });
  });
});

describe('Function: isPastSettleWindow and secondsUntilSettled', () => {
  const at = (time: string) => new Date(time);

  it('counts the window from the last send, in whole seconds, at least 1', () => {
    expect(isPastSettleWindow(ATTEMPT, at('2026-11-24T10:01:59.999Z'), SETTLE_WINDOW_MS)).toBe(false);
    expect(isPastSettleWindow(ATTEMPT, at('2026-11-24T10:02:00.000Z'), SETTLE_WINDOW_MS)).toBe(true);
    expect(secondsUntilSettled(ATTEMPT, at('2026-11-24T10:00:00.000Z'), SETTLE_WINDOW_MS)).toBe(120);
    expect(secondsUntilSettled(ATTEMPT, at('2026-11-24T10:01:59.001Z'), SETTLE_WINDOW_MS)).toBe(1);
    expect(secondsUntilSettled(ATTEMPT, at('2026-11-24T10:05:00.000Z'), SETTLE_WINDOW_MS)).toBe(1);
  });

  it('counts from the creation of an attempt with no send time', () => {
    const { lastSentAt: _lastSentAt, ...unsent } = ATTEMPT;

    expect(isPastSettleWindow(unsent, at('2026-11-24T09:02:00.000Z'), SETTLE_WINDOW_MS)).toBe(true);
    expect(secondsUntilSettled(unsent, at('2026-11-24T09:01:00.000Z'), SETTLE_WINDOW_MS)).toBe(60);
  });
});
