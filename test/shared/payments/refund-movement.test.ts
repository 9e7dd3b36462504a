/**
 * The refund as a money movement (shared/payments/refund.ts): what its draft refuses, what it keeps,
 * and how `prepare` takes the hold right before a send.
 */
import type { ClearentGateway, RefundRequest } from '../../../shared/clearent/types';
import { NotFoundError, UnprocessableRequestError } from '../../../shared/http/errors';
import { parseAmount } from '../../../shared/money';
import { refundMovement } from '../../../shared/payments/refund';
import type { Transaction } from '../../../shared/payments/transaction';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';

const SALE: Transaction = {
  id: 'txn_sale',
  storefrontId: 'sf_a',
  type: 'sale',
  status: 'approved',
  amount: parseAmount('100.00'),
  refunded: parseAmount('0.00'),
  gateway: { transactionId: '118810621', resultCode: '000' },
  createdAt: '2026-11-24T09:00:00.000Z',
};

async function withSale(overrides: Partial<Transaction> = {}): Promise<TestPorts> {
  const ports = memoryPorts();
  await ports.transactions.create({ ...SALE, ...overrides });
  return ports;
}

/** What `prepare`'s request sends, captured from a gateway that only records it. */
async function requestOf(send: (gateway: ClearentGateway) => Promise<unknown>): Promise<RefundRequest> {
  let sent: RefundRequest | undefined;
  const gateway = {
    refund: async (request: RefundRequest) => {
      sent = request;
      return {};
    },
  } as unknown as ClearentGateway;
  await send(gateway);
  if (!sent) throw new Error('nothing was sent');
  return sent;
}

describe('Function: refundMovement', () => {
  describe('Method: draft', () => {
    it('keeps the Idempotency-Key on the refund only when there is one', async () => {
      const ports = await withSale();

      const keyed = await refundMovement(
        ports,
        { storefrontId: 'sf_a', saleId: 'txn_sale' },
        'txn_r1',
        'key-1',
      ).draft();
      const bare = await refundMovement(
        ports,
        { storefrontId: 'sf_a', saleId: 'txn_sale' },
        'txn_r2',
      ).draft();

      expect(keyed).toMatchObject({
        id: 'txn_r1',
        type: 'refund',
        status: 'pending',
        amount: 10000,
        idempotencyKey: 'key-1',
      });
      expect(bare).not.toHaveProperty('idempotencyKey');
    });

    it('refuses a sale it cannot find, naming transactionId', async () => {
      const ports = await withSale();

      const refused = refundMovement(ports, { storefrontId: 'sf_a', saleId: 'txn_none' }, 'txn_r').draft();

      await expect(refused).rejects.toEqual(new NotFoundError('transaction', 'transactionId'));
      await expect(refused).rejects.toMatchObject({ message: 'No such transaction', param: 'transactionId' });
    });

    it('refuses a sale that is not approved, saying what it is', async () => {
      const ports = await withSale({ status: 'declined' });

      const refused = refundMovement(ports, { storefrontId: 'sf_a', saleId: 'txn_sale' }, 'txn_r').draft();

      await expect(refused).rejects.toBeInstanceOf(UnprocessableRequestError);
      await expect(refused).rejects.toMatchObject({
        code: 'sale_not_refundable',
        param: 'transactionId',
        message: 'Only an approved sale can be refunded; this one is declined',
      });
    });

    it('refuses "all that remains" when nothing remains', async () => {
      const ports = await withSale({ refunded: parseAmount('100.00') });

      const refused = refundMovement(ports, { storefrontId: 'sf_a', saleId: 'txn_sale' }, 'txn_r').draft();

      await expect(refused).rejects.toMatchObject({ code: 'amount_exceeds_refundable', param: 'amount' });
    });
  });

  describe('Method: prepare', () => {
    it("holds the amount, then refunds the sale's gateway transaction under the refund's id", async () => {
      const ports = await withSale();
      const movement = refundMovement(
        ports,
        { storefrontId: 'sf_a', saleId: 'txn_sale', amount: parseAmount('30.00') },
        'txn_r',
      );

      const request = await requestOf(await movement.prepare(await movement.draft()));

      expect(request).toEqual({ saleTransactionId: '118810621', amount: 3000, invoice: 'txn_r' });
      expect(await ports.transactions.refundHold('sf_a', 'txn_sale', 'txn_r')).toBe(3000);
      expect((await ports.transactions.get('sf_a', 'txn_sale'))?.refunded).toBe(3000);
    });

    it('uses a hold of the same amount it already has, and takes anew one of another amount', async () => {
      const ports = await withSale();
      await ports.transactions.holdRefund(SALE, 'txn_same', parseAmount('30.00'));
      await ports.transactions.holdRefund(SALE, 'txn_other', parseAmount('50.00'));
      const input = { storefrontId: 'sf_a', saleId: 'txn_sale', amount: parseAmount('20.00') };
      const attempt = (id: string, amount: string): Transaction => ({
        ...SALE,
        id,
        type: 'refund',
        status: 'pending',
        amount: parseAmount(amount),
        saleId: 'txn_sale',
      });

      await refundMovement(ports, input, 'txn_same').prepare(attempt('txn_same', '30.00'));
      await refundMovement(ports, input, 'txn_other').prepare(attempt('txn_other', '20.00'));

      expect(await ports.transactions.refundHold('sf_a', 'txn_sale', 'txn_same')).toBe(3000);
      expect(await ports.transactions.refundHold('sf_a', 'txn_sale', 'txn_other')).toBe(2000);
      expect((await ports.transactions.get('sf_a', 'txn_sale'))?.refunded).toBe(5000);
    });
  });
});
