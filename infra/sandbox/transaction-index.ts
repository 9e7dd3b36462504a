/**
 * The ledger's transactions with the indexes that keep every request cheap at 100,000 of them: by id,
 * by invoice, by order id, approved sales (all, and per card last four and amount) and voids as lists,
 * and each sale's refunded amount kept up to date as refunds and voids are recorded. No request path
 * scans all transactions, except a search with no id, invoice or order-id filter.
 */
import { addCents, type Cents, cents, subtractCents } from '../../shared/money';
import type { LedgerTransaction } from './ledger';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type IndexedTransaction = Mutable<LedgerTransaction>;

/** What the rest of the simulator may read of the index. */
export type TransactionLookup = Pick<
  TransactionIndex,
  | 'find'
  | 'transactions'
  | 'withInvoice'
  | 'withOrderId'
  | 'charges'
  | 'chargesOf'
  | 'voids'
  | 'refundedAmount'
>;

export class TransactionIndex {
  private all: IndexedTransaction[] = [];
  private byId = new Map<string, IndexedTransaction>();
  private byInvoice = new Map<string, IndexedTransaction[]>();
  private byOrderId = new Map<string, IndexedTransaction[]>();
  private approvedSales: IndexedTransaction[] = [];
  private approvedSalesByCardAmount = new Map<string, IndexedTransaction[]>();
  private approvedVoids: IndexedTransaction[] = [];
  /** Approved, not voided refunds per sale id. */
  private refunded = new Map<string, Cents>();

  /** Indexes a transaction, keeping this very object (a void marks it). */
  add(stored: IndexedTransaction): void {
    this.all.push(stored);
    this.byId.set(stored.id, stored);
    if (stored.invoice !== undefined) listIn(this.byInvoice, stored.invoice).push(stored);
    if (stored.orderId !== undefined) listIn(this.byOrderId, stored.orderId).push(stored);
    if (stored.result !== 'APPROVED') return;
    if (stored.type === 'SALE') {
      this.approvedSales.push(stored);
      listIn(this.approvedSalesByCardAmount, cardAmountKey(stored.card?.lastFour, stored.amount)).push(
        stored,
      );
    }
    if (stored.type === 'VOID') this.approvedVoids.push(stored);
    if (stored.type === 'REFUND' && stored.originalId !== undefined) {
      this.refunded.set(stored.originalId, addCents(this.refundedAmount(stored.originalId), stored.amount));
    }
  }

  markVoided(id: string): void {
    const transaction = this.byId.get(id);
    if (!transaction || transaction.voided) return;
    transaction.voided = true;
    const saleId = transaction.originalId;
    if (transaction.type === 'REFUND' && transaction.result === 'APPROVED' && saleId !== undefined) {
      this.refunded.set(saleId, subtractCents(this.refundedAmount(saleId), transaction.amount));
    }
  }

  find(id: string): LedgerTransaction | undefined {
    return this.byId.get(id);
  }

  /** Oldest first. */
  transactions(): readonly LedgerTransaction[] {
    return this.all;
  }

  /** Every transaction carrying this invoice, oldest first. */
  withInvoice(invoice: string): readonly LedgerTransaction[] {
    return this.byInvoice.get(invoice) ?? [];
  }

  /** Every transaction carrying this order id, oldest first. */
  withOrderId(orderId: string): readonly LedgerTransaction[] {
    return this.byOrderId.get(orderId) ?? [];
  }

  /** Approved sales, oldest first (voided ones included). */
  charges(): readonly LedgerTransaction[] {
    return this.approvedSales;
  }

  /** Approved sales of a card (by last four) for this amount, oldest first. */
  chargesOf(lastFour: string, amount: Cents): readonly LedgerTransaction[] {
    return this.approvedSalesByCardAmount.get(cardAmountKey(lastFour, amount)) ?? [];
  }

  /** Approved voids, oldest first. */
  voids(): readonly LedgerTransaction[] {
    return this.approvedVoids;
  }

  refundedAmount(saleId: string): Cents {
    return this.refunded.get(saleId) ?? cents(0);
  }

  clear(): void {
    this.all = [];
    this.byId.clear();
    this.byInvoice.clear();
    this.byOrderId.clear();
    this.approvedSales = [];
    this.approvedSalesByCardAmount.clear();
    this.approvedVoids = [];
    this.refunded.clear();
  }
}

function cardAmountKey(lastFour: string | undefined, amount: Cents): string {
  return `${lastFour ?? ''}/${amount}`;
}

function listIn(index: Map<string, IndexedTransaction[]>, key: string): IndexedTransaction[] {
  let list = index.get(key);
  if (!list) {
    list = [];
    index.set(key, list);
  }
  return list;
}
