/**
 * Everything the simulated gateway has done: transactions, card tokens and request counts.
 * Card data is kept masked only (brand, last four, expiry); JWTs are never recorded here.
 * Every change is a `LedgerEvent`, written to the journal first and then applied, so that replaying the
 * journal at start rebuilds exactly this state (request counts are not journaled).
 */
import { type Cents, cents } from '../../shared/money';
import { type MaskedCard, passesLuhn } from './cards';
import type { Journal } from './journal';
import { TransactionIndex, type TransactionLookup } from './transaction-index';

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

/** Dates as ISO strings: what a JSON line holds. */
type Stored<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/** Forgets every transaction, token and JWT (the id counters and the JWT secret stay). */
export interface ResetEvent {
  readonly kind: 'reset';
}

export type LedgerEvent =
  | { readonly kind: 'transaction'; readonly transaction: Stored<LedgerTransaction> }
  | { readonly kind: 'voided'; readonly id: string }
  | { readonly kind: 'token-created'; readonly token: Stored<LedgerToken>; readonly nextTokenSerial: number }
  | { readonly kind: 'token-used' | 'token-deleted'; readonly tokenId: string; readonly at: string }
  | ResetEvent;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Transaction ids are numeric strings like Clearent's; they keep counting across `reset()`. */
const FIRST_TRANSACTION_ID = 118_810_621;
const TOKEN_ID_PREFIX = '1100000';

export class Ledger {
  private readonly index = new TransactionIndex();
  /** The transactions, indexed: by id, invoice and order id, approved sales and voids, refunded amounts. */
  readonly lookup: TransactionLookup = this.index;
  private tokens = new Map<string, Mutable<LedgerToken>>();
  private requestCounts = new Map<string, number>();
  private nextTransactionId = FIRST_TRANSACTION_ID;
  private nextTokenSerial = 1;

  constructor(private readonly journal: Journal<LedgerEvent>) {}

  /** Records a transaction and gives it the next transaction id. */
  record(transaction: NewTransaction): LedgerTransaction {
    const id = String(this.nextTransactionId);
    const stored = { ...transaction, id, voided: false, created: transaction.created.toISOString() };
    this.commit({ kind: 'transaction', transaction: stored });
    return this.lookup.find(id) ?? fail(`transaction ${id} was not recorded`);
  }

  markVoided(id: string): void {
    this.commit({ kind: 'voided', id });
  }

  createToken(card: MaskedCard, now: Date, description?: string): LedgerToken {
    // 19 digits ending in the card's last four, like Clearent's token ids. Never a valid card number, so
    // a forgotten token id (after reset) is declined as an invalid card rather than charged as one.
    let serial = this.nextTokenSerial;
    let tokenId: string;
    do {
      tokenId = `${TOKEN_ID_PREFIX}${String(serial++).padStart(8, '0')}${card.lastFour}`;
    } while (passesLuhn(tokenId));
    const at = now.toISOString();
    const token = { tokenId, card, description, timesUsed: 0, created: at, updated: at, deleted: false };
    this.commit({ kind: 'token-created', token, nextTokenSerial: serial });
    return this.tokens.get(tokenId) ?? fail(`token ${tokenId} was not recorded`);
  }

  /** Deleted tokens stay listed (with `deleted: true`) so tests can see what happened to them. */
  findToken(tokenId: string): LedgerToken | undefined {
    return this.tokens.get(tokenId);
  }

  allTokens(): readonly LedgerToken[] {
    return [...this.tokens.values()];
  }

  recordTokenUse(tokenId: string, now: Date): void {
    this.commit({ kind: 'token-used', tokenId, at: now.toISOString() });
  }

  deleteToken(tokenId: string, now: Date): void {
    this.commit({ kind: 'token-deleted', tokenId, at: now.toISOString() });
  }

  countRequest(endpoint: string): void {
    this.requestCounts.set(endpoint, (this.requestCounts.get(endpoint) ?? 0) + 1);
  }

  allRequestCounts(): ReadonlyMap<string, number> {
    return this.requestCounts;
  }

  /** Applies a change, live or replayed from the journal. */
  apply(event: LedgerEvent): void {
    switch (event.kind) {
      case 'transaction': {
        const { transaction } = event;
        this.index.add({
          ...transaction,
          amount: cents(transaction.amount),
          created: new Date(transaction.created),
        });
        this.nextTransactionId = Math.max(this.nextTransactionId, Number(transaction.id) + 1);
        return;
      }
      case 'voided':
        this.index.markVoided(event.id);
        return;
      case 'token-created': {
        const { token } = event;
        this.tokens.set(token.tokenId, {
          ...token,
          created: new Date(token.created),
          updated: new Date(token.updated),
        });
        this.nextTokenSerial = event.nextTokenSerial;
        return;
      }
      case 'token-used':
      case 'token-deleted':
        this.changeToken(event.tokenId, event.kind, new Date(event.at));
        return;
      case 'reset':
        // The id counters survive, so ids are never reused within a run.
        this.index.clear();
        this.tokens.clear();
        this.requestCounts.clear();
    }
  }

  private changeToken(tokenId: string, change: 'token-used' | 'token-deleted', at: Date): void {
    const token = this.tokens.get(tokenId);
    if (!token) return;
    if (change === 'token-used') token.timesUsed += 1;
    else token.deleted = true;
    token.updated = at;
  }

  private commit(event: LedgerEvent): void {
    this.journal.append(event);
    this.apply(event);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
