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

export interface TransactionRepository {
  get(storefrontId: string, transactionId: string): Promise<Transaction | undefined>;
  /**
   * Writes a transaction, or settles one. Never overwrites a settled transaction (one with its answer):
   * when one already exists, resolves with that one instead (a takeover raced us), so callers answer with it.
   */
  save(transaction: Transaction): Promise<Transaction>;
  /**
   * Atomically adds `amount` to the sale's refunded total and marks `refundId` as holding it, only if the
   * sale is approved, the hold is new and the total stays within the sale. `false` when refused.
   */
  holdRefund(sale: Transaction, refundId: string, amount: Cents): Promise<boolean>;
  /** Gives a hold back (declined or failed refund). Idempotent: releasing twice changes nothing. */
  releaseRefund(sale: Transaction, refundId: string): Promise<void>;
  /** The amount `refundId` holds on the sale, `undefined` when it holds nothing (read consistently). */
  refundHold(storefrontId: string, saleId: string, refundId: string): Promise<Cents | undefined>;
  list(query: TransactionQuery): Promise<TransactionPage>;
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
  release(record: IdempotencyRecord): Promise<void>;
  complete(record: IdempotencyRecord, response: StoredResponse): Promise<void>;
}

/** The gateway for one storefront, with its own Clearent credentials. */
export type GatewayProvider = (storefrontId: string) => Promise<ClearentGateway>;

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new random id, e.g. `txn_3kTMd9X...`. */
  next(prefix: 'txn' | 'card' | 'sub'): string;
}

export interface PaymentsPorts {
  transactions: TransactionRepository;
  cards: CardRepository;
  idempotency: IdempotencyRepository;
  gateway: GatewayProvider;
  clock: Clock;
  ids: IdGenerator;
}
