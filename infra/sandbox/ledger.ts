/**
 * Everything the simulated gateway has done: transactions, card tokens and request counts.
 * Card data is kept masked only (brand, last four, expiry); JWTs are never recorded here.
 */
import { addCents, type Cents, cents } from '../../shared/money';
import { type MaskedCard, passesLuhn } from './cards';

export type TransactionType = 'SALE' | 'REFUND' | 'VOID';
export type TransactionResult = 'APPROVED' | 'DECLINED';

export interface LedgerTransaction {
  readonly id: string;
  readonly type: TransactionType;
  readonly amount: Cents;
  readonly result: TransactionResult;
  readonly resultCode: string;
  readonly displayMessage: string;
  readonly authorizationCode?: string;
  /** Absent when the refund or void named a transaction the gateway does not have. */
  readonly card?: MaskedCard;
  readonly invoice?: string;
  readonly orderId?: string;
  readonly customerId?: string;
  readonly description?: string;
  /** The card token charged, or created by this sale (`create-token`). */
  readonly tokenId?: string;
  readonly tokenCreated: boolean;
  /** The sale a refund or void refers to. */
  readonly originalId?: string;
  readonly softwareType?: string;
  readonly softwareTypeVersion?: string;
  /** The endpoint it came through, e.g. `POST /rest/v2/mobile/transactions/sale`. */
  readonly endpoint: string;
  readonly created: Date;
  /** Set once a VOID reversed it. */
  readonly voided: boolean;
}

export interface LedgerToken {
  readonly tokenId: string;
  readonly card: MaskedCard;
  readonly description?: string;
  readonly timesUsed: number;
  readonly created: Date;
  readonly updated: Date;
  readonly deleted: boolean;
}

export type NewTransaction = Omit<LedgerTransaction, 'id' | 'voided'>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Transaction ids are numeric strings like Clearent's; they keep counting across `reset()`. */
const FIRST_TRANSACTION_ID = 118_810_621;
const TOKEN_ID_PREFIX = '1100000';

export class Ledger {
  private transactions: Mutable<LedgerTransaction>[] = [];
  private tokens = new Map<string, Mutable<LedgerToken>>();
  private requestCounts = new Map<string, number>();
  private nextTransactionId = FIRST_TRANSACTION_ID;
  private nextTokenSerial = 1;

  /** Records a transaction and gives it the next transaction id. */
  record(transaction: NewTransaction): LedgerTransaction {
    const stored = { ...transaction, id: String(this.nextTransactionId++), voided: false };
    this.transactions.push(stored);
    return stored;
  }

  findTransaction(id: string): LedgerTransaction | undefined {
    return this.transactions.find((transaction) => transaction.id === id);
  }

  allTransactions(): readonly LedgerTransaction[] {
    return this.transactions;
  }

  markVoided(id: string): void {
    const transaction = this.transactions.find((candidate) => candidate.id === id);
    if (transaction) transaction.voided = true;
  }

  /** What approved refunds of a sale add up to, leaving out refunds that were voided. */
  refundedAmount(saleId: string): Cents {
    return this.transactions
      .filter((t) => t.type === 'REFUND' && t.originalId === saleId && t.result === 'APPROVED' && !t.voided)
      .reduce((total, refund) => addCents(total, refund.amount), cents(0));
  }

  createToken(card: MaskedCard, now: Date, description?: string): LedgerToken {
    // 19 digits ending in the card's last four, like Clearent's token ids. Never a valid card number, so
    // a forgotten token id (after reset) is declined as an invalid card rather than charged as one.
    let tokenId: string;
    do {
      const serial = String(this.nextTokenSerial++).padStart(8, '0');
      tokenId = `${TOKEN_ID_PREFIX}${serial}${card.lastFour}`;
    } while (passesLuhn(tokenId));
    const token = { tokenId, card, description, timesUsed: 0, created: now, updated: now, deleted: false };
    this.tokens.set(tokenId, token);
    return token;
  }

  /** Deleted tokens stay listed (with `deleted: true`) so tests can see what happened to them. */
  findToken(tokenId: string): LedgerToken | undefined {
    return this.tokens.get(tokenId);
  }

  allTokens(): readonly LedgerToken[] {
    return [...this.tokens.values()];
  }

  recordTokenUse(tokenId: string, now: Date): void {
    const token = this.tokens.get(tokenId);
    if (!token) return;
    token.timesUsed += 1;
    token.updated = now;
  }

  deleteToken(tokenId: string, now: Date): void {
    const token = this.tokens.get(tokenId);
    if (!token) return;
    token.deleted = true;
    token.updated = now;
  }

  countRequest(endpoint: string): void {
    this.requestCounts.set(endpoint, (this.requestCounts.get(endpoint) ?? 0) + 1);
  }

  allRequestCounts(): ReadonlyMap<string, number> {
    return this.requestCounts;
  }

  /** Forgets everything except the id counters, so ids are never reused within a run. */
  reset(): void {
    this.transactions = [];
    this.tokens.clear();
    this.requestCounts.clear();
  }
}
