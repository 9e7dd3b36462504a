/**
 * A subscription's DynamoDB item, and the one conditional update every change of it is written with.
 *
 * Besides its fields (the amount in cents) the item carries its index entries: `gsi1pk`/`gsi1sk` in the
 * storefront's list and `gsi2pk`/`gsi2sk` in its customer's (`byStorefront`, `byCustomer`, sorted by
 * `<createdAt>#<id>`), and while chargeable `duePk`/`dueSk` in the sparse due index: `duePk` is one of
 * `DUE_SHARDS` partitions picked by a hash of the id (so a million subscriptions due at the same second
 * do not all land on one hot partition), `dueSk` is `nextChargeAt`.
 */
import type { OutboxEntry } from '../events/outbox';
import { cents } from '../money';
import { isChargeable, type Subscription } from '../subscriptions/subscription';
import { keys } from './keys';
import { shardOf } from './shards';

/** Partitions of the due index. Changing it requires rewriting every chargeable item's `duePk`. */
export const DUE_SHARDS = 8;

export type SubscriptionItem = Omit<Subscription, 'amount'> & {
  pk: string;
  sk: string;
  amountCents: number;
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk: string;
  gsi2sk: string;
  duePk?: string;
  dueSk?: string;
  outbox?: OutboxEntry[];
  workPk?: string;
  workSk?: string;
};

/** The due-index partition a subscription lives in: stable, and uniform over the shards. */
export function dueShardOf(subscriptionId: string, shards = DUE_SHARDS): number {
  return shardOf(subscriptionId, shards);
}

export function dueEntry(subscriptionId: string, nextChargeAt: string) {
  return { duePk: keys.dueShard(dueShardOf(subscriptionId)), dueSk: nextChargeAt };
}

/** The item of `subscription`, without an outbox. */
export function toItem(subscription: Subscription): SubscriptionItem {
  const { amount, ...rest } = subscription;
  const { storefrontId, customerId, id } = subscription;
  const order = `${subscription.createdAt}#${id}`;
  return {
    ...rest,
    ...keys.subscription(storefrontId, id),
    amountCents: amount,
    gsi1pk: keys.storefrontSubscriptions(storefrontId),
    gsi1sk: order,
    gsi2pk: keys.customerSubscriptions(storefrontId, customerId),
    gsi2sk: order,
    ...(isChargeable(subscription.status) ? dueEntry(id, subscription.nextChargeAt) : {}),
  };
}

export function fromItem(item: Record<string, unknown>): Subscription {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _1,
    gsi1sk: _2,
    gsi2pk: _3,
    gsi2sk: _4,
    duePk: _5,
    dueSk: _6,
    outbox: _7,
    workPk: _8,
    workSk: _9,
    amountCents,
    ...rest
  } = item as SubscriptionItem;
  return { ...(rest as Omit<Subscription, 'amount'>), amount: cents(amountCents) };
}

type ItemField = keyof SubscriptionItem & string;

/** What a change writes: every attribute but the identity, the keys and the outbox; absent ones are removed. */
const WRITTEN: readonly ItemField[] = [
  'status',
  'cardId',
  'amountCents',
  'description',
  'periodStart',
  'nextChargeAt',
  'failedAttempts',
  'attemptsBefore',
  'retriesFrom',
  'lastTransactionId',
  'lastFailure',
  'canceledAt',
  'duePk',
  'dueSk',
  // Written again so that an item stored before the lists existed joins them at its next change.
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
];

/**
 * What a change is conditioned on: every field a PATCH, a cancel or a charge moves (`lastTransactionId`
 * and `lastFailure` only ever move with `periodStart` or `failedAttempts`).
 */
const COMPARED: readonly ItemField[] = [
  'status',
  'cardId',
  'amountCents',
  'description',
  'periodStart',
  'nextChargeAt',
  'failedAttempts',
  'attemptsBefore',
];

/** The outbox clauses and values to add to a change (shared/events/outbox.ts `outboxAppend`). */
export interface OutboxClauses {
  clauses: string[];
  values: Record<string, unknown>;
}

/**
 * The parts of an UpdateItem that turns the item of `seen` into that of `after`, only if it still
 * holds what was read as `seen`, and appends `outbox` in the same write.
 */
export function changeOf(seen: Subscription, after: Subscription, outbox: OutboxClauses) {
  const before = toItem(seen);
  const next = toItem(after);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ...outbox.values };
  const sets: string[] = [...outbox.clauses];
  const removes: string[] = [];
  for (const field of WRITTEN) {
    names[`#${field}`] = field;
    const value = next[field];
    if (value === undefined) {
      removes.push(`#${field}`);
    } else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  const conditions = COMPARED.map((field) => {
    const value = before[field];
    if (value === undefined) return `attribute_not_exists(#${field})`;
    values[`:seen_${field}`] = value;
    return `#${field} = :seen_${field}`;
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
