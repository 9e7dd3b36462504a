/**
 * Clearent's per-terminal duplicate detection, off unless configured: a sale matching an approved sale
 * within the window is refused (402, result code 032) instead of charged again.
 */
import type { Cents } from '../../shared/money';
import type { Ledger } from './ledger';

export interface DuplicateDetection {
  windowMs: number;
  /** Same invoice, or same card last four and amount. */
  match: 'invoice' | 'last-four-amount';
}

export interface SaleFingerprint {
  amount: Cents;
  lastFour: string;
  invoice?: string;
}

export function isDuplicateSale(
  ledger: Ledger,
  rule: DuplicateDetection,
  sale: SaleFingerprint,
  now: Date,
): boolean {
  const windowStart = now.getTime() - rule.windowMs;
  return ledger.allTransactions().some((earlier) => {
    if (earlier.type !== 'SALE' || earlier.result !== 'APPROVED') return false;
    if (earlier.created.getTime() < windowStart) return false;
    if (rule.match === 'invoice') return sale.invoice !== undefined && earlier.invoice === sale.invoice;
    return earlier.card?.lastFour === sale.lastFour && earlier.amount === sale.amount;
  });
}
