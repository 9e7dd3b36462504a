import { GatewayUnavailableError } from '../../../shared/clearent/errors';
import { type Cents, cents, parseAmount } from '../../../shared/money';
import { runIdempotent } from '../../../shared/payments/idempotent-operation';
import { refund } from '../../../shared/payments/refund';
import type { Transaction } from '../../../shared/payments/transaction';
import { timeoutAfterCharging, timeoutBeforeCharging } from '../../support/fake-gateway';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';

const SALE: Transaction = {
  id: 'txn_sale',
  storefrontId: 'sf_a',
  type: 'sale',
  status: 'approved',
  amount: parseAmount('100.00'),
  refunded: cents(0),
  customerId: 'cus_42',
  cardId: 'card_1',
  card: { brand: 'VISA', last4: '1111', expDate: '1228' },
  gateway: { transactionId: '118810621', resultCode: '000' },
  createdAt: '2026-11-24T09:00:00.000Z',
};

async function withSale(ports: TestPorts, overrides: Partial<Transaction> = {}) {
  await ports.transactions.save({ ...SALE, ...overrides });
}

const refundOf = (ports: TestPorts, amount: Cents | undefined, key = 'refund-1', saleId = 'txn_sale') =>
  runIdempotent(
    ports,
    { storefrontId: 'sf_a', key, route: 'POST /v1/refunds', requestHash: `h-${key}`, idPrefix: 'txn' },
    refund(ports, { storefrontId: 'sf_a', saleId, amount, reason: 'damaged' }),
  );

const bodyOf = (response: { body: string }) => JSON.parse(response.body);
const refundedOnSale = async (ports: TestPorts) =>
  (await ports.transactions.get('sf_a', 'txn_sale'))?.refunded;

describe('Function: refund', () => {
  it('refunds part of a sale against its gateway id and counts it on the sale', async () => {
    const ports = memoryPorts();
    await withSale(ports);

    const response = await refundOf(ports, parseAmount('30.00'));

    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({
      type: 'refund',
      status: 'approved',
      amount: '30.00',
      saleId: 'txn_sale',
      customerId: 'cus_42',
      card: { last4: '1111' },
    });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'refund',
        request: { saleTransactionId: '118810621', amount: 3000, invoice: 'txn_000001' },
      },
    ]);
    expect(await refundedOnSale(ports)).toBe(3000);
  });

  it('refunds all that remains when no amount is given', async () => {
    const ports = memoryPorts();
    await withSale(ports, { refunded: parseAmount('40.00') });

    const response = await refundOf(ports, undefined);

    expect(bodyOf(response).amount).toBe('60.00');
    expect(await refundedOnSale(ports)).toBe(10000);
  });

  it('refuses more than remains with 422 and calls nothing', async () => {
    const ports = memoryPorts();
    await withSale(ports, { refunded: parseAmount('90.00') });

    const response = await refundOf(ports, parseAmount('10.01'));

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'amount_exceeds_refundable',
      param: 'amount',
    });
    expect(bodyOf(response).error.message).toContain('10.00');
    expect(ports.fakeGateway.calls).toHaveLength(0);
    expect(await refundedOnSale(ports)).toBe(9000);
  });

  it.each(['declined', 'pending', 'failed'] as const)(
    'refuses to refund a %s sale with 422',
    async (status) => {
      const ports = memoryPorts();
      await withSale(ports, { status });

      const response = await refundOf(ports, parseAmount('1.00'));

      expect(response.statusCode).toBe(422);
      expect(bodyOf(response).error.code).toBe('sale_not_refundable');
      expect(ports.fakeGateway.calls).toHaveLength(0);
    },
  );

  it('answers 404 for an unknown sale and for a refund id given as the sale', async () => {
    const ports = memoryPorts();
    await withSale(ports);
    await withSale(ports, { id: 'txn_refund', type: 'refund' });

    expect((await refundOf(ports, undefined, 'k1', 'txn_nope')).statusCode).toBe(404);
    expect((await refundOf(ports, undefined, 'k2', 'txn_refund')).statusCode).toBe(404);
  });

  it('gives the hold back when the gateway declines or fails the refund', async () => {
    const ports = memoryPorts();
    await withSale(ports);
    ports.fakeGateway.script(
      { outcome: 'declined', resultCode: '025', message: 'Exceeds refundable amount' },
      new GatewayUnavailableError('503'),
    );

    const declined = await refundOf(ports, parseAmount('30.00'), 'k1');
    const failed = await refundOf(ports, parseAmount('30.00'), 'k2');

    expect(declined.statusCode).toBe(402);
    expect(bodyOf(declined)).toMatchObject({
      error: { declineCode: '025' },
      transaction: { type: 'refund', status: 'declined' },
    });
    expect(failed.statusCode).toBe(502);
    expect(await refundedOnSale(ports)).toBe(0);
  });

  it('keeps the hold while a refund is pending and resolves it on retry without refunding twice', async () => {
    const ports = memoryPorts();
    await withSale(ports);
    ports.fakeGateway.script(timeoutAfterCharging());

    const first = await refundOf(ports, parseAmount('30.00'));
    const heldWhilePending = await refundedOnSale(ports);
    const retry = await refundOf(ports, parseAmount('30.00'));

    expect(first.statusCode).toBe(504);
    expect(heldWhilePending).toBe(3000);
    expect(retry.statusCode).toBe(201);
    expect(ports.fakeGateway.count('refund')).toBe(1);
    expect(await refundedOnSale(ports)).toBe(3000);
  });

  it('sends a pending refund again when the gateway never saw it', async () => {
    const ports = memoryPorts();
    await withSale(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());

    await refundOf(ports, parseAmount('30.00'));
    const retry = await refundOf(ports, parseAmount('30.00'));

    expect(retry.statusCode).toBe(201);
    expect(ports.fakeGateway.count('refund')).toBe(2);
    expect(await refundedOnSale(ports)).toBe(3000);
  });

  it('gives the hold back when the gateway is unavailable, and a retry under the same key looks it up, then refunds', async () => {
    const ports = memoryPorts();
    await withSale(ports);
    ports.fakeGateway.script(new GatewayUnavailableError('503'));

    const first = await refundOf(ports, parseAmount('30.00'));
    const heldAfterFailure = await refundedOnSale(ports);
    const retry = await refundOf(ports, parseAmount('30.00'));

    expect(first.statusCode).toBe(502);
    expect(heldAfterFailure).toBe(0);
    expect(retry.statusCode).toBe(201);
    expect(ports.fakeGateway.calls.map((call) => call.operation)).toEqual([
      'refund',
      'searchTransactions',
      'refund',
    ]);
    expect(await refundedOnSale(ports)).toBe(3000);
  });

  it('counts, and does not send again, a refund Clearent made despite answering 5xx', async () => {
    const ports = memoryPorts();
    await withSale(ports);
    ports.fakeGateway.script(new GatewayUnavailableError('500'));
    await refundOf(ports, parseAmount('30.00'));
    ports.fakeGateway.recorded.set('txn_000001', {
      outcome: 'approved',
      type: 'REFUND',
      transactionId: '901',
      resultCode: '000',
      message: 'Transaction approved',
      card: {},
    });

    const retry = await refundOf(ports, parseAmount('30.00'));

    expect(bodyOf(retry)).toMatchObject({
      status: 'approved',
      amount: '30.00',
      gateway: { transactionId: '901' },
    });
    expect(ports.fakeGateway.count('refund')).toBe(1);
    expect(await refundedOnSale(ports)).toBe(3000);
  });

  it('lets exactly three of ten racing 30% refunds through, never more than the sale', async () => {
    const ports = memoryPorts();
    await withSale(ports);

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => refundOf(ports, parseAmount('30.00'), `race-${i}`)),
    );

    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 422, 422, 422, 422, 422, 422, 422]);
    expect(ports.fakeGateway.count('refund')).toBe(3);
    expect(await refundedOnSale(ports)).toBe(9000);
  });
});
