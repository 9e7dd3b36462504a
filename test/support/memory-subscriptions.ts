/**
 * In-memory subscriptions with the DynamoDB adapters' conditional semantics, for domain tests and the
 * benchmark: the API's repository with its lists, and over its items the worker's billing and the
 * selector's due index. Events are not kept: the store tests read them from the real outbox.
 */

import { InvalidCursorError } from '../../shared/store/cursor';
import { dueShardOf } from '../../shared/store/subscription-item';
import type {
  DueCursor,
  DuePage,
  DueSubscriptions,
  SubscriptionBilling,
  SubscriptionPage,
  SubscriptionQuery,
  SubscriptionRepository,
} from '../../shared/subscriptions/ports';
import {
  applyChargeState,
  attemptNumber,
  type ChargeState,
  isChargeable,
  type Subscription,
} from '../../shared/subscriptions/subscription';

const copy = <T>(value: T): T => structuredClone(value);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The fields the DynamoDB adapters condition every change on (shared/store/subscription-item.ts). */
const unchanged = (stored: Subscription, seen: Subscription): boolean =>
  stored.status === seen.status &&
  stored.cardId === seen.cardId &&
  stored.amount === seen.amount &&
  stored.description === seen.description &&
  stored.periodStart === seen.periodStart &&
  stored.nextChargeAt === seen.nextChargeAt &&
  stored.failedAttempts === seen.failedAttempts &&
  stored.attemptsBefore === seen.attemptsBefore;

export class MemorySubscriptions implements SubscriptionRepository {
  readonly items = new Map<string, Subscription>();

  async create(subscription: Subscription) {
    const key = `${subscription.storefrontId}/${subscription.id}`;
    if (!this.items.has(key)) this.items.set(key, copy(subscription));
  }

  async get(storefrontId: string, id: string) {
    const found = this.items.get(`${storefrontId}/${id}`);
    return found && copy(found);
  }

  /** Newest first; the cursor is the `<createdAt>#<id>` of the last one returned (not signed here). */
  async list(query: SubscriptionQuery): Promise<SubscriptionPage> {
    if (query.cursor !== undefined && !query.cursor.includes('#sub_')) throw new InvalidCursorError();
    const order = (s: Subscription) => `${s.createdAt}#${s.id}`;
    const matching = [...this.items.values()]
      .filter((s) => s.storefrontId === query.storefrontId)
      .filter((s) => query.customerId === undefined || s.customerId === query.customerId)
      .filter((s) => query.status === undefined || s.status === query.status)
      .filter((s) => query.cursor === undefined || compare(order(s), query.cursor) < 0)
      .sort((a, b) => compare(order(b), order(a)));
    const data = matching.slice(0, query.limit).map(copy);
    const last = data.at(-1);
    return { data, nextCursor: matching.length > query.limit && last ? order(last) : null };
  }

  async cancel(storefrontId: string, id: string, at: string) {
    const stored = this.items.get(`${storefrontId}/${id}`);
    if (stored && stored.status !== 'canceled') Object.assign(stored, { status: 'canceled', canceledAt: at });
    return stored && copy(stored);
  }

  async update(seen: Subscription, next: Subscription) {
    const key = `${seen.storefrontId}/${seen.id}`;
    const stored = this.items.get(key);
    if (!stored || !unchanged(stored, seen)) return false;
    this.items.set(key, copy(next));
    return true;
  }
}

/** A charge's outcome, applied to the subscriptions of a `MemorySubscriptions`. */
export class MemorySubscriptionBilling implements SubscriptionBilling {
  /** Outcomes applied. */
  transitions = 0;

  constructor(private readonly subscriptions: MemorySubscriptions) {}

  async get(storefrontId: string, id: string) {
    return this.subscriptions.get(storefrontId, id);
  }

  async transition(seen: Subscription, next: ChargeState) {
    const key = `${seen.storefrontId}/${seen.id}`;
    const stored = this.subscriptions.items.get(key);
    if (
      !stored ||
      !isChargeable(stored.status) ||
      stored.periodStart !== seen.periodStart ||
      stored.failedAttempts !== seen.failedAttempts ||
      stored.attemptsBefore !== seen.attemptsBefore
    ) {
      return false;
    }
    this.subscriptions.items.set(key, applyChargeState(stored, copy(next)));
    this.transitions += 1;
    return true;
  }
}

/** The due index over the subscriptions of a `MemorySubscriptions`: four shards, `pageSize` per page. */
export class MemoryDueSubscriptions implements DueSubscriptions {
  readonly dueShards = 4;
  private readonly shards = new Map<string, number>();

  constructor(
    private readonly subscriptions: MemorySubscriptions,
    private readonly pageSize = 1000,
  ) {}

  private shardOf(id: string): number {
    let shard = this.shards.get(id);
    if (shard === undefined) {
      shard = dueShardOf(id, this.dueShards);
      this.shards.set(id, shard);
    }
    return shard;
  }

  async listDue(shard: number, until: string, cursor?: DueCursor): Promise<DuePage> {
    const due = [...this.subscriptions.items.values()]
      .filter((s) => isChargeable(s.status) && s.nextChargeAt <= until)
      .filter((s) => this.shardOf(s.id) === shard)
      .sort((a, b) => compare(a.nextChargeAt, b.nextChargeAt) || compare(a.id, b.id));
    const offset = typeof cursor?.offset === 'number' ? cursor.offset : 0;
    const charges = due.slice(offset, offset + this.pageSize).map((s) => ({
      storefrontId: s.storefrontId,
      subscriptionId: s.id,
      periodStart: s.periodStart,
      attempt: attemptNumber(s),
    }));
    const end = offset + this.pageSize;
    return end < due.length ? { charges, next: { offset: end } } : { charges };
  }
}

/** The API's repository, the worker's billing and the selector's due index, all over the same items. */
export function memorySubscriptionPorts(duePageSize?: number) {
  const subscriptions = new MemorySubscriptions();
  return {
    subscriptions,
    billing: new MemorySubscriptionBilling(subscriptions),
    due: new MemoryDueSubscriptions(subscriptions, duePageSize),
  };
}
