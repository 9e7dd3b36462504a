/**
 * How both stores of subscriptions read one and write a change of it: the API's repository
 * (./subscriptions.ts: a PATCH, a cancel) and the recurring worker's (./subscription-billing.ts: a
 * charge's outcome). One implementation, so that every change is written the same way.
 *
 * Every change is read, computed in memory, and written by one UpdateItem conditioned on the state read
 * and carrying the change's event (the outbox): no change is lost to another made at the same time, and
 * the event shows the subscription exactly as the change left it.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { subscriptionEvent } from '../events/derive';
import { outboxAppend } from '../events/outbox';
import type { Subscription } from '../subscriptions/subscription';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';
import { changeOf, fromItem } from './subscription-item';

/**
 * How often a write refused because the subscription changed meanwhile is read and tried again. Only
 * writes that must happen whatever else changed (a cancel, a charge's outcome) retry.
 */
export const WRITE_ATTEMPTS = 5;

/** The subscription as stored now (read consistently), `undefined` when there is none. */
export async function readSubscription(
  db: DynamoDBDocumentClient,
  tableName: string,
  storefrontId: string,
  subscriptionId: string,
): Promise<Subscription | undefined> {
  const Item = await readItem(db, tableName, keys.subscription(storefrontId, subscriptionId));
  return Item ? fromItem(Item) : undefined;
}

/**
 * Writes `after` with its event, stamped `at`, if the item is still `seen`; `false` when it changed
 * meanwhile.
 */
export async function writeChange(
  db: DynamoDBDocumentClient,
  tableName: string,
  seen: Subscription,
  after: Subscription,
  at: Date,
): Promise<boolean> {
  const key = keys.subscription(seen.storefrontId, seen.id);
  const outbox = outboxAppend(key.pk, [subscriptionEvent(seen, after, at)]);
  return sendConditional(
    db,
    new UpdateCommand({ TableName: tableName, Key: key, ...changeOf(seen, after, outbox) }),
  );
}
