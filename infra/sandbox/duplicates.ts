/**
 * Clearent's per-terminal duplicate detection (the `duplicateDetection` behaviour, off by default): a
 * sale matching an approved sale of the window is a duplicate. What the gateway then answers is the
 * charge handler's business (`respondWith`). Matching reads the ledger's index of the invoice, or of
 * approved sales per card last four and amount, newest first.
 */
import type { Cents } from '../../shared/money';
import type { DuplicateDetection } from './behaviour';
import type { LedgerTransaction } from './ledger';
import type { TransactionLookup } from './transaction-index';

export interface SaleFingerprint {
  amount: Cents;
  lastFour: string;
  invoice?: string;
}

/** The latest approved sale this one duplicates, or `undefined`. */
export function earlierDuplicate(
  lookup: TransactionLookup,
  rule: DuplicateDetection,
  sale: SaleFingerprint,
  now: Date,
): LedgerTransaction | undefined {
  const windowStart = now.getTime() - rule.windowMs;
  const isMatch = (earlier: LedgerTransaction) =>
    earlier.type === 'SALE' && earlier.result === 'APPROVED' && earlier.created.getTime() >= windowStart;
  if (rule.match === 'invoice') {
    return sale.invoice === undefined ? undefined : latest(lookup.withInvoice(sale.invoice), isMatch);
  }
  return latest(lookup.chargesOf(sale.lastFour, sale.amount), isMatch);
}

function latest(
  transactions: readonly LedgerTransaction[],
  isMatch: (transaction: LedgerTransaction) => boolean,
): LedgerTransaction | undefined {
  for (let index = transactions.length - 1; index >= 0; index--) {
    const transaction = transactions[index];
    if (transaction && isMatch(transaction)) return transaction;
  }
  return undefined;
}
