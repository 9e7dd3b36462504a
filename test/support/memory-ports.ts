/**
 * In-memory payments ports with the same conditional semantics as the DynamoDB adapters, for domain
 * tests that need neither AWS nor HTTP.
 */
import { type Cents, cents } from '../../shared/money';
import type { Card } from '../../shared/payments/card';
import type {
  CardRepository,
  IdempotencyRecord,
  IdempotencyRepository,
  PendingTransactions,
  ReconciliationPorts,
  TransactionRepository,
} from '../../shared/payments/ports';
import { isSettled, type StoredResponse, type Transaction } from '../../shared/payments/transaction';
import { transactionResponse } from '../../shared/payments/transaction-response';
import { FakeGateway } from './fake-gateway';

const copy = <T>(value: T): T => structuredClone(value);

/** The settle window of these ports (GATEWAY_SETTLE_SECONDS' default): past it, a sale not found is not charged. */
export const SETTLE_WINDOW_MS = 120_000;

/** The conditional writes of an attempt (docs/money-movement.md): begin, resend or not moved, settle. */
export type TransactionWrite = 'create' | 'replace' | 'settle';

/**
 * A DynamoDB fault injected into one write: thrown before the write (`before`), thrown after it was
 * applied (the answer was lost: `after`), or a write that never returns (the Lambda died: `hang`).
 */
export interface WriteFault {
  error: Error;
  when: 'before' | 'after' | 'hang';
}

export class MemoryTransactions implements TransactionRepository {
  readonly items = new Map<string, Transaction>();
  readonly holds = new Map<string, Map<string, Cents>>();
  /** Writes applied (create, replace, settle). */
  saves = 0;
  private readonly faults: Array<WriteFault & { method: TransactionWrite }> = [];

  /** The next `method` write fails as `fault` says; later writes work. */
  failNext(method: TransactionWrite, fault: Partial<WriteFault> = {}): void {
    this.faults.push({
      method,
      error: fault.error ?? new Error('connection reset'),
      when: fault.when ?? 'before',
    });
  }

  /** Applies `write` through the next fault injected for `method`, if any. */
  private async through<T>(method: TransactionWrite, write: () => T): Promise<T> {
    const index = this.faults.findIndex((fault) => fault.method === method);
    const [fault] = index < 0 ? [] : this.faults.splice(index, 1);
    if (!fault) return write();
    if (fault.when === 'hang') return new Promise<T>(() => {});
    if (fault.when === 'before') throw fault.error;
    write();
    throw fault.error;
  }

  async get(storefrontId: string, id: string) {
    const found = this.items.get(`${storefrontId}/${id}`);
    return found && copy(found);
  }

  /** Puts a transaction as an earlier request left it; a settled one carries its answer. */
  seed(transaction: Transaction): void {
    const answered = isSettled(transaction) && !transaction.response;
    const stored = answered ? { ...transaction, response: transactionResponse(transaction) } : transaction;
    this.items.set(`${transaction.storefrontId}/${transaction.id}`, copy(stored));
  }

  private write(transaction: Transaction) {
    this.saves += 1;
    this.items.set(`${transaction.storefrontId}/${transaction.id}`, copy(transaction));
  }

  async create(transaction: Transaction) {
    return this.through('create', () => {
      if (this.items.has(`${transaction.storefrontId}/${transaction.id}`)) return false;
      this.write(transaction);
      return true;
    });
  }

  async replace(transaction: Transaction, seen: Pick<Transaction, 'sendCount' | 'status'>) {
    return this.through('replace', () => {
      const stored = this.items.get(`${transaction.storefrontId}/${transaction.id}`);
      if (!stored || stored.response || (stored.sendCount ?? 0) !== (seen.sendCount ?? 0)) return false;
      if (stored.status !== seen.status) return false;
      this.write(transaction);
      return true;
    });
  }

  async settle(transaction: Transaction) {
    return this.through('settle', () => {
      const existing = this.items.get(`${transaction.storefrontId}/${transaction.id}`);
      if (existing?.response) return copy(existing);
      const settled = { ...transaction, response: transactionResponse(transaction) };
      this.write(settled);
      return copy(settled);
    });
  }

  async holdRefund(sale: Transaction, refundId: string, amount: Cents) {
    const stored = this.items.get(`${sale.storefrontId}/${sale.id}`);
    const holds = this.holds.get(sale.id) ?? new Map<string, Cents>();
    if (stored?.status !== 'approved' || holds.has(refundId) || stored.refunded + amount > stored.amount) {
      return false;
    }
    stored.refunded = cents(stored.refunded + amount);
    holds.set(refundId, amount);
    this.holds.set(sale.id, holds);
    return true;
  }

  async releaseRefund(sale: Pick<Transaction, 'storefrontId' | 'id'>, refundId: string) {
    const stored = this.items.get(`${sale.storefrontId}/${sale.id}`);
    const held = this.holds.get(sale.id)?.get(refundId);
    if (!stored || held === undefined) return;
    stored.refunded = cents(stored.refunded - held);
    this.holds.get(sale.id)?.delete(refundId);
  }

  async refundHold(_storefrontId: string, saleId: string, refundId: string) {
    return this.holds.get(saleId)?.get(refundId);
  }
}

/** The pending index over the transactions of a `MemoryTransactions`: one shard, one page. */
export class MemoryPendingTransactions implements PendingTransactions {
  readonly pendingShards = 1;

  constructor(private readonly transactions: MemoryTransactions) {}

  async listPending(_shard: number, sentBefore: string) {
    const data = [...this.transactions.items.values()]
      .filter((t) => t.status === 'pending' && (t.lastSentAt ?? t.createdAt) < sentBefore)
      .sort((a, b) => (a.lastSentAt ?? '').localeCompare(b.lastSentAt ?? ''));
    return { data: data.map(copy) };
  }
}

export class MemoryCards implements CardRepository {
  readonly items = new Map<string, Card>();

  async get(storefrontId: string, customerId: string, cardId: string) {
    const found = this.items.get(`${storefrontId}/${customerId}/${cardId}`);
    return found && copy(found);
  }

  async add(card: Card) {
    const key = `${card.storefrontId}/${card.customerId}/${card.id}`;
    if (!this.items.has(key)) this.items.set(key, copy(card));
  }

  async listActive(storefrontId: string, customerId: string) {
    return [...this.items.values()].filter(
      (c) => c.storefrontId === storefrontId && c.customerId === customerId && c.status === 'active',
    );
  }

  async markRemoved(storefrontId: string, customerId: string, cardId: string, at: string) {
    const card = this.items.get(`${storefrontId}/${customerId}/${cardId}`);
    if (card?.status !== 'active') return false;
    Object.assign(card, { status: 'removed', removedAt: at, tokenId: '' });
    return true;
  }
}

/** A record as stored, with whether its time to live is running. */
type StoredRecord = IdempotencyRecord & { expires?: boolean };

export class MemoryIdempotency implements IdempotencyRepository {
  readonly records = new Map<string, StoredRecord>();
  /** Writes applied (claim, take over, release, complete, expiry). */
  writes = 0;

  async find(storefrontId: string, key: string) {
    const found = this.records.get(`${storefrontId}/${key}`);
    return found && copy(found);
  }

  async claim(record: IdempotencyRecord) {
    const key = `${record.storefrontId}/${record.key}`;
    const existing = this.records.get(key);
    if (existing) return copy(existing);
    this.records.set(key, { ...copy(record), expires: true });
    this.writes += 1;
    return undefined;
  }

  async takeOver(seen: IdempotencyRecord, lockedUntil: number) {
    const stored = this.records.get(`${seen.storefrontId}/${seen.key}`);
    if (!stored || stored.state !== seen.state || stored.lockedUntil !== seen.lockedUntil) return false;
    Object.assign(stored, { state: 'locked', lockedUntil });
    this.writes += 1;
    return true;
  }

  async release(record: IdempotencyRecord, expires: boolean) {
    const stored = this.records.get(`${record.storefrontId}/${record.key}`);
    if (!stored || stored.lockedUntil !== record.lockedUntil) return;
    Object.assign(stored, { state: 'released', expires });
    this.writes += 1;
  }

  async complete(record: IdempotencyRecord, response: StoredResponse) {
    const stored = this.records.get(`${record.storefrontId}/${record.key}`);
    if (!stored) return;
    Object.assign(stored, { response: copy(response), expires: true });
    this.writes += 1;
  }

  async setExpiry(storefrontId: string, key: string, expires: boolean) {
    const stored = this.records.get(`${storefrontId}/${key}`);
    // An expiry already running is left as it is, as in DynamoDB.
    if (!stored || (expires && stored.expires)) return;
    stored.expires = expires;
    this.writes += 1;
  }
}

export interface TestPorts extends ReconciliationPorts {
  transactions: MemoryTransactions;
  cards: MemoryCards;
  idempotency: MemoryIdempotency;
  fakeGateway: FakeGateway;
  /** Every time the domain asked for a gateway: whether it bypassed the secret's cache, and after how many calls. */
  gatewayReads: Array<{ storefrontId: string; refresh: boolean; afterCalls: number }>;
  /** Moves the clock. */
  advance(ms: number): void;
}

export function memoryPorts(start = new Date('2026-11-24T10:00:00.000Z')): TestPorts {
  let now = start.getTime();
  let sequence = 0;
  const fakeGateway = new FakeGateway();
  const gatewayReads: TestPorts['gatewayReads'] = [];
  const transactions = new MemoryTransactions();
  return {
    transactions,
    pending: new MemoryPendingTransactions(transactions),
    cards: new MemoryCards(),
    idempotency: new MemoryIdempotency(),
    fakeGateway,
    gatewayReads,
    gateway: async (storefrontId, options) => {
      gatewayReads.push({
        storefrontId,
        refresh: options?.refresh ?? false,
        afterCalls: fakeGateway.calls.length,
      });
      return fakeGateway;
    },
    clock: { now: () => new Date(now) },
    ids: { next: (prefix) => `${prefix}_${String(++sequence).padStart(6, '0')}` },
    timing: { lockMs: 30_000, settleWindowMs: SETTLE_WINDOW_MS },
    advance: (ms) => {
      now += ms;
    },
  };
}
