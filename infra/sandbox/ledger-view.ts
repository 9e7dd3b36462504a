/**
 * The read-only ledger tests inspect, in process (`sandbox.ledger`) or over HTTP (`GET /_sandbox/ledger`).
 * Every read is a copy: nothing a test does to it changes the simulator.
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
  /** Approved sales carrying this invoice. */
  chargesForInvoice(invoice: string): readonly LedgerTransaction[];
}

/** Wraps the live ledger in a view that only copies out. */
export function viewLedger(ledger: Ledger): SandboxLedger {
  const copies = (list: readonly LedgerTransaction[]) =>
    list.map((transaction) =>
      Object.freeze({
        ...transaction,
        card: transaction.card && { ...transaction.card },
        created: new Date(transaction.created),
      }),
    );
  const charges = () => ledger.allTransactions().filter((t) => t.type === 'SALE' && t.result === 'APPROVED');
  return {
    get transactions() {
      return copies(ledger.allTransactions());
    },
    get charges() {
      return copies(charges());
    },
    get chargeCount() {
      return charges().length;
    },
    get voids() {
      return copies(ledger.allTransactions().filter((t) => t.type === 'VOID' && t.result === 'APPROVED'));
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
    refundedAmount: (saleId) => ledger.refundedAmount(saleId),
    chargesForInvoice: (invoice) => copies(charges().filter((t) => t.invoice === invoice)),
  };
}

/** The ledger as plain JSON for `GET /_sandbox/ledger`: amounts in cents, dates as ISO strings. */
export function ledgerAsJson(view: SandboxLedger): object {
  const refunded = Object.fromEntries(view.charges.map((sale) => [sale.id, view.refundedAmount(sale.id)]));
  return {
    transactions: view.transactions,
    chargeCount: view.chargeCount,
    refundedBySale: refunded,
    voids: view.voids,
    tokens: view.tokens,
    requestCounts: view.requestCounts,
  };
}
