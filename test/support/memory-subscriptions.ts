/**
 * In-memory subscriptions with the DynamoDB adapter's conditional semantics and due index, for domain
 * tests and the benchmark.
 */
import { dueShardOf } from '../../shared/store/subscriptions';
import type { DueCursor, DuePage, SubscriptionRepository } from '../../shared/subscriptions/ports';
import { type ChargeState, isChargeable, type Subscription } from '../../shared/subscriptions/subscription';

const copy = <T>(value: T): T => structuredClone(value);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class MemorySubscriptions implements SubscriptionRepository {
  readonly items = new Map<string, Subscription>();
  readonly dueShards = 4;
  transitions = 0;
  private readonly shards = new Map<string, number>();

  constructor(private readonly pageSize = 1000) {}

  async create(subscription: Subscription) {
    const key = `${subscription.storefrontId}/${subscription.id}`;
    if (!this.items.has(key)) this.items.set(key, copy(subscription));
  }

  async get(storefrontId: string, id: string) {
    const found = this.items.get(`${storefrontId}/${id}`);
    return found && copy(found);
  }

  async cancel(storefrontId: string, id: string, at: string) {
    const stored = this.items.get(`${storefrontId}/${id}`);
    if (stored && stored.status !== 'canceled') Object.assign(stored, { status: 'canceled', canceledAt: at });
    return stored && copy(stored);
  }

  async transition(seen: Subscription, next: ChargeState) {
    const stored = this.items.get(`${seen.storefrontId}/${seen.id}`);
    if (
      !stored ||
      !isChargeable(stored.status) ||
      stored.periodStart !== seen.periodStart ||
      stored.failedAttempts !== seen.failedAttempts
    ) {
      return false;
    }
    // As the DynamoDB adapter: a charge state without a transaction keeps the last one.
    const { lastTransactionId, ...state } = copy(next);
    Object.assign(stored, state, lastTransactionId === undefined ? {} : { lastTransactionId });
    this.transitions += 1;
    return true;
  }

  private shardOf(id: string): number {
    let shard = this.shards.get(id);
    if (shard === undefined) {
      shard = dueShardOf(id, this.dueShards);
      this.shards.set(id, shard);
    }
    return shard;
  }

  async listDue(shard: number, until: string, cursor?: DueCursor): Promise<DuePage> {
    const due = [...this.items.values()]
      .filter((s) => isChargeable(s.status) && s.nextChargeAt <= until)
      .filter((s) => this.shardOf(s.id) === shard)
      .sort((a, b) => compare(a.nextChargeAt, b.nextChargeAt) || compare(a.id, b.id));
    const offset = typeof cursor?.offset === 'number' ? cursor.offset : 0;
    const charges = due.slice(offset, offset + this.pageSize).map((s) => ({
      storefrontId: s.storefrontId,
      subscriptionId: s.id,
      periodStart: s.periodStart,
      attempt: s.failedAttempts,
    }));
    const end = offset + this.pageSize;
    return end < due.length ? { charges, next: { offset: end } } : { charges };
  }
}
