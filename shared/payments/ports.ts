/**
 * What the payments domain needs from the outside world. DynamoDB, Clearent and the clock are adapters
 * behind these interfaces, so the domain is tested with fakes and without AWS or HTTP.
 */
import type { ClearentGateway } from '../clearent/types';
import type { Cents } from '../money';
import type { Card } from './card';
import type { StoredResponse, Transaction } from './transaction';

export interface TransactionQuery {
  storefrontId: string;
  customerId?: string;
  subscriptionId?: string;
  limit: number;
  cursor?: string;
}

export interface TransactionPage {
  data: Transaction[];
  nextCursor: string | null;
}

/** One page of pending transactions last sent before a time, from one shard of the pending index. */
export interface PendingPage {
  data: Transaction[];
  /** Absent on the last page. */
  next?: Readonly<Record<string, unknown>>;
}

/**
 * Transactions, written only through the attempt's conditional transitions (docs/money-movement.md):
 * nothing can overwrite a settled transaction, and only one process at a time can send an attempt.
 */
export interface TransactionRepository {
  get(storefrontId: string, transactionId: string): Promise<Transaction | undefined>;
  /** Begins a first attempt: writes `transaction` unless one with its id exists. `false` when refused. */
  create(transaction: Transaction): Promise<boolean>;
  /**
   * Replaces an unsettled transaction still as it was seen (its send count and status): begins a resend,
   * or records that nothing moved. `false` when refused: another process changed it first.
   */
  replace(transaction: Transaction, seen: Pick<Transaction, 'sendCount' | 'status'>): Promise<boolean>;
  /**
   * Settles: writes the final transaction with its answer unless it is settled already, and returns
   * the settled one (ours, or the one another process settled first: the same gateway fact).
   */
  settle(transaction: Transaction): Promise<Transaction>;
  /**
   * Atomically adds `amount` to the sale's refunded total and marks `refundId` as holding it, only if the
   * sale is approved, the hold is new and the total stays within the sale. `false` when refused.
   */
  holdRefund(sale: Transaction, refundId: string, amount: Cents): Promise<boolean>;
  /** Gives a hold back (declined or failed refund). Idempotent: releasing twice changes nothing. */
  releaseRefund(sale: Pick<Transaction, 'storefrontId' | 'id'>, refundId: string): Promise<void>;
  /** The amount `refundId` holds on the sale, `undefined` when it holds nothing (read consistently). */
  refundHold(storefrontId: string, saleId: string, refundId: string): Promise<Cents | undefined>;
}

/** The newest-first timelines of transactions, for `GET /v1/transactions` alone. */
export interface TransactionTimeline {
  /**
   * A page of the storefront's transactions, or of one customer's or subscription's, newest first.
   * @throws InvalidCursorError for a cursor this list did not hand out.
   */
  list(query: TransactionQuery): Promise<TransactionPage>;
}

/** The pending transactions, spread over shards, for reconciliation alone. */
export interface PendingTransactions {
  /** How many partitions the pending index is spread over; `listPending` is asked for each. */
  readonly pendingShards: number;
  /** Pending transactions of `shard` last sent before `sentBefore` (ISO), oldest first. */
  listPending(shard: number, sentBefore: string, cursor?: PendingPage['next']): Promise<PendingPage>;
}

export interface CardRepository {
  get(storefrontId: string, customerId: string, cardId: string): Promise<Card | undefined>;
  /** Stores the card unless a card with its id exists (saving twice is harmless). */
  add(card: Card): Promise<void>;
  listActive(storefrontId: string, customerId: string): Promise<Card[]>;
  /** Marks the card removed so nothing charges it again; `false` when there is no active card. */
  markRemoved(storefrontId: string, customerId: string, cardId: string, at: string): Promise<boolean>;
}

export type IdempotencyState = 'locked' | 'released';

export interface IdempotencyRecord {
  storefrontId: string;
  key: string;
  route: string;
  requestHash: string;
  /**
   * The id of what this request creates (a transaction travels to Clearent with it as `invoice`), chosen
   * by the first attempt and kept by every retry.
   */
  resourceId: string;
  state: IdempotencyState;
  /** Epoch ms after which another attempt may take over a locked record (its Lambda died). */
  lockedUntil: number;
  /** The stored answer, for outcomes that are not a transaction (404, 422 ...). */
  response?: StoredResponse;
}

export interface IdempotencyRepository {
  /** The record under a key, if any (read consistently). */
  find(storefrontId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Creates the record; `undefined` on success, the existing record when the key is taken. */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord | undefined>;
  /** Locks a record that is released or whose lock expired, only if it is unchanged since read. */
  takeOver(seen: IdempotencyRecord, lockedUntil: number): Promise<boolean>;
  /** Unlocks the record (while this attempt still holds it); `expire` also starts its time to live. */
  release(record: IdempotencyRecord, expire: boolean): Promise<void>;
  /** Stores an answer that is not a transaction, and starts the record's time to live. */
  complete(record: IdempotencyRecord, response: StoredResponse): Promise<void>;
  /**
   * For a key whose transaction someone else (reconciliation) found settled or not charged (`expires`),
   * or still unresolved: starts its time to live, or takes it away.
   */
  setExpiry(storefrontId: string, key: string, expires: boolean): Promise<void>;
}

/**
 * The gateway for one storefront, with its own Clearent credentials. `refresh` reads the credentials
 * again, past any cache: after Clearent refused the key (401), it may have been rotated.
 */
export type GatewayProvider = (
  storefrontId: string,
  options?: { refresh?: boolean },
) => Promise<ClearentGateway>;

/** The time budget the domain needs (shared/time-budget.ts). */
export interface Timing {
  /** How long an idempotency lock is held before another attempt may take it over. */
  lockMs: number;
  /** How long after an attempt was last sent before a search that finds nothing means "not charged". */
  settleWindowMs: number;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new random id, e.g. `txn_3kTMd9X...`. */
  next(prefix: 'txn' | 'card' | 'sub' | 'evt' | 'we'): string;
}

export interface PaymentsPorts {
  transactions: TransactionRepository;
  cards: CardRepository;
  idempotency: IdempotencyRepository;
  gateway: GatewayProvider;
  clock: Clock;
  ids: IdGenerator;
  timing: Timing;
}

/**
 * What reconciliation needs besides the payments ports: the pending transactions it resolves. Its own
 * type, so that the functions that charge and refund are never built with (nor bundle) the pending index.
 */
export interface ReconciliationPorts extends PaymentsPorts {
  pending: PendingTransactions;
}
