/**
 * Extra approvals for one invoice (docs/money-movement.md, rule 5): the gateway charged an attempt more
 * than once. Each extra is voided, or refunded when the void is refused (a closed batch), and what was
 * done is kept on our transaction, logged and counted (`duplicate_charge_reversed`, which alarms).
 */
import { GatewayError } from '../../clearent/errors';
import type { ClearentGateway, GatewayTransaction } from '../../clearent/types';
import { logger } from '../../observability/logger';
import { recordDuplicateReversed } from '../../observability/metrics';
import type { ReversedDuplicate, Transaction } from '../transaction';

export async function reverseDuplicates(
  gateway: ClearentGateway,
  transaction: Transaction,
  extras: readonly GatewayTransaction[],
  at: string,
): Promise<ReversedDuplicate[]> {
  const done = new Set(
    (transaction.reversedDuplicates ?? []).map((reversed) => reversed.gatewayTransactionId),
  );
  const reversed: ReversedDuplicate[] = [];
  for (const extra of extras) {
    const gatewayTransactionId = extra.transactionId;
    if (gatewayTransactionId === undefined || done.has(gatewayTransactionId)) continue;
    const reversal = await reverse(gateway, extra, gatewayTransactionId);
    reversed.push({ gatewayTransactionId, reversal, at });
    recordDuplicateReversed(reversal);
    const log = reversal === 'failed' ? logger.error.bind(logger) : logger.warn.bind(logger);
    log('duplicate charge found for one invoice', {
      transactionId: transaction.id,
      gatewayTransactionId,
      reversal,
    });
  }
  return reversed;
}

async function reverse(
  gateway: ClearentGateway,
  extra: GatewayTransaction,
  gatewayTransactionId: string,
): Promise<ReversedDuplicate['reversal']> {
  try {
    const voided = await gateway.void(gatewayTransactionId);
    if (voided.outcome === 'approved') return 'void';
    if (extra.amount === undefined) return 'failed';
    const refunded = await gateway.refund({ saleTransactionId: gatewayTransactionId, amount: extra.amount });
    return refunded.outcome === 'approved' ? 'refund' : 'failed';
  } catch (error) {
    if (error instanceof GatewayError) return 'failed';
    throw error;
  }
}
