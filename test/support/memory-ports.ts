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
  PaymentsPorts,
  TransactionPage,
  TransactionQuery,
  TransactionRepository,
} from '../../shared/payments/ports';
import type { StoredResponse, Transaction } from '../../shared/payments/transaction';
import { FakeGateway } from './fake-gateway';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryTransactions implements TransactionRepository {
  readonly items = new Map<string, Transaction>();
  readonly holds = new Map<string, Map<string, Cents>>();
  saves = 0;

  async get(storefrontId: string, id: string) {
    const found = this.items.get(`${storefrontId}/${id}`);
    return found && copy(found);
  }

  async save(transaction: Transaction) {
    this.saves += 1;
    const key = `${transaction.storefrontId}/${transaction.id}`;
    const existing = this.items.get(key);
    if (existing?.response) return copy(existing);
    this.items.set(key, copy(transaction));
    return transaction;
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

  async releaseRefund(sale: Transaction, refundId: string) {
    const stored = this.items.get(`${sale.storefrontId}/${sale.id}`);
    const held = this.holds.get(sale.id)?.get(refundId);
    if (!stored || held === undefined) return;
    stored.refunded = cents(stored.refunded - held);
    this.holds.get(sale.id)?.delete(refundId);
  }

  async refundHold(_storefrontId: string, saleId: string, refundId: string) {
    return this.holds.get(saleId)?.get(refundId);
  }

  async list(query: TransactionQuery): Promise<TransactionPage> {
    const data = [...this.items.values()]
      .filter((t) => t.storefrontId === query.storefrontId)
      .filter((t) => !query.customerId || t.customerId === query.customerId)
      .filter((t) => !query.subscriptionId || t.subscriptionId === query.subscriptionId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, query.limit);
    return { data: data.map(copy), nextCursor: null };
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

export class MemoryIdempotency implements IdempotencyRepository {
  readonly records = new Map<string, IdempotencyRecord>();

  async find(storefrontId: string, key: string) {
    const found = this.records.get(`${storefrontId}/${key}`);
    return found && copy(found);
  }

  async claim(record: IdempotencyRecord) {
    const key = `${record.storefrontId}/${record.key}`;
    const existing = this.records.get(key);
    if (existing) return copy(existing);
    this.records.set(key, copy(record));
    return undefined;
  }

  async takeOver(seen: IdempotencyRecord, lockedUntil: number) {
    const stored = this.records.get(`${seen.storefrontId}/${seen.key}`);
    if (!stored || stored.state !== seen.state || stored.lockedUntil !== seen.lockedUntil) return false;
    Object.assign(stored, { state: 'locked', lockedUntil });
    return true;
  }

  async release(record: IdempotencyRecord) {
    const stored = this.records.get(`${record.storefrontId}/${record.key}`);
    if (stored && stored.lockedUntil === record.lockedUntil) stored.state = 'released';
  }

  async complete(record: IdempotencyRecord, response: StoredResponse) {
    const stored = this.records.get(`${record.storefrontId}/${record.key}`);
    if (stored) stored.response = copy(response);
  }
}

export interface TestPorts extends PaymentsPorts {
  transactions: MemoryTransactions;
  cards: MemoryCards;
  idempotency: MemoryIdempotency;
  fakeGateway: FakeGateway;
  /** Moves the clock. */
  advance(ms: number): void;
}

export function memoryPorts(start = new Date('2026-11-24T10:00:00.000Z')): TestPorts {
  let now = start.getTime();
  let sequence = 0;
  const fakeGateway = new FakeGateway();
  return {
    transactions: new MemoryTransactions(),
    cards: new MemoryCards(),
    idempotency: new MemoryIdempotency(),
    fakeGateway,
    gateway: async () => fakeGateway,
    clock: { now: () => new Date(now) },
    ids: { next: (prefix) => `${prefix}_${String(++sequence).padStart(6, '0')}` },
    advance: (ms) => {
      now += ms;
    },
  };
}
