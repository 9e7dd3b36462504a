/**
 * The read-only ledger tests inspect, in process (`sandbox.ledger`) or over HTTP (`GET /_sandbox/ledger`).
 * Every read is a copy: nothing a test does to it changes the simulator. Reads use the ledger's indexes,
 * so each costs what it returns, also at 100,000 transactions.
 */
import type { Cents } from '../../shared/money';
import type { Ledger, LedgerToken, LedgerTransaction } from './ledger';

export interface SandboxLedger {
  /** Every transaction, oldest first: approved and declined sales, refunds and voids. */
  readonly transactions: readonly LedgerTransaction[];
  /** Approved sales: the cards actually charged, oldest first (voided ones included). */
  readonly charges: readonly LedgerTransaction[];
  readonly chargeCount: number;
  /** Approved voids. */
  readonly voids: readonly LedgerTransaction[];
  /** Every card token created, deleted ones included with `deleted: true`. */
  readonly tokens: readonly LedgerToken[];
  /** Requests received per endpoint, e.g. `{"POST /rest/v2/transactions/sale": 2}`, faulted ones included. */
  readonly requestCounts: Readonly<Record<string, number>>;
  /** Approved, not voided refunds of a sale. */
  refundedAmount(saleId: string): Cents;
  /** Approved sales carrying this invoice, oldest first. */
  chargesForInvoice(invoice: string): readonly LedgerTransaction[];
  /** Every transaction carrying this invoice, of any type and result, oldest first. */
  transactionsForInvoice(invoice: string): readonly LedgerTransaction[];
}

/** Wraps the live ledger in a view that only copies out. */
export function viewLedger(ledger: Ledger): SandboxLedger {
  const { lookup } = ledger;
  const copies = (list: readonly LedgerTransaction[]) => list.map(copyOf);
  const approvedSales = (list: readonly LedgerTransaction[]) =>
    list.filter((t) => t.type === 'SALE' && t.result === 'APPROVED');
  return {
    get transactions() {
      return copies(lookup.transactions());
    },
    get charges() {
      return copies(lookup.charges());
    },
    get chargeCount() {
      return lookup.charges().length;
    },
    get voids() {
      return copies(lookup.voids());
    },
    get tokens() {
      return ledger.allTokens().map((token) =>
        Object.freeze({
          ...token,
          card: { ...token.card },
          created: new Date(token.created),
          updated: new Date(token.updated),
        }),
      );
    },
    get requestCounts() {
      return Object.fromEntries(ledger.allRequestCounts());
    },
    refundedAmount: (saleId) => lookup.refundedAmount(saleId),
    chargesForInvoice: (invoice) => copies(approvedSales(lookup.withInvoice(invoice))),
    transactionsForInvoice: (invoice) => copies(lookup.withInvoice(invoice)),
  };
}

function copyOf(transaction: LedgerTransaction): LedgerTransaction {
  return Object.freeze({
    ...transaction,
    card: transaction.card && { ...transaction.card },
    created: new Date(transaction.created),
  });
}

/**
 * The ledger as plain JSON for `GET /_sandbox/ledger`: amounts in cents, dates as ISO strings, the
 * transactions from `offset`, at most `limit` of them, and what was refunded of the sales among them.
 */
export function ledgerAsJson(ledger: Ledger, page: { offset?: number; limit?: number }): object {
  const { lookup } = ledger;
  const all = lookup.transactions();
  const offset = page.offset ?? 0;
  const transactions = all.slice(offset, page.limit === undefined ? undefined : offset + page.limit);
  const refundedBySale = Object.fromEntries(
    transactions
      .filter((t) => t.type === 'SALE' && t.result === 'APPROVED')
      .map((sale) => [sale.id, lookup.refundedAmount(sale.id)]),
  );
  return {
    total: all.length,
    offset,
    transactions,
    chargeCount: lookup.charges().length,
    refundedBySale,
    voids: lookup.voids(),
    tokens: ledger.allTokens(),
    requestCounts: Object.fromEntries(ledger.allRequestCounts()),
  };
}
