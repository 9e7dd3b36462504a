/**
 * Reversing extra approvals for one invoice (docs/money-movement.md, rule 5), one gateway answer at a
 * time: void, refund when the void is refused, `failed` when neither works, each logged and counted.
 */
import { GatewayUnavailableError } from '../../../shared/clearent/errors';
import type { ClearentGateway, GatewayTransaction, RefundRequest } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { logger } from '../../../shared/observability/logger';
import { reverseDuplicates } from '../../../shared/payments/engine/duplicates';
import type { Transaction } from '../../../shared/payments/transaction';

const SALE: Transaction = {
  id: 'txn_1',
  storefrontId: 'sf_a',
  type: 'sale',
  status: 'approved',
  amount: parseAmount('10.00'),
  refunded: parseAmount('0.00'),
  createdAt: '2026-11-24T10:00:00.000Z',
};
const AT = '2026-11-24T10:05:00.000Z';

const extra = (transactionId: string | undefined, amount = SALE.amount): GatewayTransaction => ({
  outcome: 'approved',
  type: 'SALE',
  transactionId,
  amount,
  resultCode: '000',
  message: 'Transaction approved',
  card: {},
});

const result = (outcome: 'approved' | 'declined'): GatewayTransaction => ({
  outcome,
  type: 'VOID',
  resultCode: outcome === 'approved' ? '000' : '024',
  message: outcome,
  card: {},
});

/** A gateway answering voids and refunds as told, and recording what it was asked. */
function gatewayAnswering(
  voids: 'approved' | 'declined' | Error,
  refunds: 'approved' | 'declined' = 'approved',
) {
  const asked: string[] = [];
  const gateway = {
    void: async (id: string) => {
      asked.push(`void ${id}`);
      if (voids instanceof Error) throw voids;
      return result(voids);
    },
    refund: async (request: RefundRequest) => {
      asked.push(`refund ${request.saleTransactionId} ${request.amount}`);
      return result(refunds);
    },
  } as unknown as ClearentGateway;
  return { gateway, asked };
}

describe('Function: reverseDuplicates', () => {
  afterEach(() => jest.restoreAllMocks());

  it('voids each extra approval, warns, and keeps what was done', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const { gateway, asked } = gatewayAnswering('approved');

    const reversed = await reverseDuplicates(gateway, SALE, [extra('2'), extra('3')], AT);

    expect(reversed).toEqual([
      { gatewayTransactionId: '2', reversal: 'void', at: AT },
      { gatewayTransactionId: '3', reversal: 'void', at: AT },
    ]);
    expect(asked).toEqual(['void 2', 'void 3']);
    expect(warn).toHaveBeenCalledWith('duplicate charge found for one invoice', {
      transactionId: 'txn_1',
      gatewayTransactionId: '2',
      reversal: 'void',
    });
  });

  it('refunds the whole extra amount when the void is refused (a closed batch)', async () => {
    const { gateway, asked } = gatewayAnswering('declined');

    const reversed = await reverseDuplicates(gateway, SALE, [extra('2', parseAmount('7.50'))], AT);

    expect(reversed).toEqual([{ gatewayTransactionId: '2', reversal: 'refund', at: AT }]);
    expect(asked).toEqual(['void 2', 'refund 2 750']);
  });

  it.each([
    [
      'the refund is declined too',
      gatewayAnswering('declined', 'declined'),
      extra('2'),
      ['void 2', 'refund 2 1000'],
    ],
    [
      'the extra has no amount to refund',
      gatewayAnswering('declined'),
      { ...extra('2'), amount: undefined },
      ['void 2'],
    ],
    [
      'the gateway cannot be reached',
      gatewayAnswering(new GatewayUnavailableError('down')),
      extra('2'),
      ['void 2'],
    ],
  ])(
    'records a reversal that failed, as an error, when %s',
    async (_name, { gateway, asked }, found, expected) => {
      const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

      const reversed = await reverseDuplicates(gateway, SALE, [found], AT);

      expect(reversed).toEqual([{ gatewayTransactionId: '2', reversal: 'failed', at: AT }]);
      expect(asked).toEqual(expected);
      expect(error).toHaveBeenCalledWith(
        'duplicate charge found for one invoice',
        expect.objectContaining({ reversal: 'failed' }),
      );
    },
  );

  it('never reverses again what was reversed, nor an extra without a gateway id', async () => {
    const { gateway, asked } = gatewayAnswering('approved');
    const reversedBefore = {
      ...SALE,
      reversedDuplicates: [{ gatewayTransactionId: '2', reversal: 'void' as const, at: AT }],
    };

    const reversed = await reverseDuplicates(
      gateway,
      reversedBefore,
      [extra('2'), extra(undefined), extra('4')],
      AT,
    );

    expect(reversed).toEqual([{ gatewayTransactionId: '4', reversal: 'void', at: AT }]);
    expect(asked).toEqual(['void 4']);
  });

  it('lets a fault that is not the gateway’s through', async () => {
    const { gateway } = gatewayAnswering(new TypeError('a bug'));

    await expect(reverseDuplicates(gateway, SALE, [extra('2')], AT)).rejects.toThrow(TypeError);
  });
});
