/**
 * Subscriptions to store and their stored items, for the subscription stores' tests. One maker per
 * engine (`describe.each`), so that both engines see the same ids.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry } from '../../../shared/events/outbox';
import { parseAmount } from '../../../shared/money';
import { keys } from '../../../shared/store/keys';
import type { Subscription } from '../../../shared/subscriptions/subscription';
import type { TestTable } from '../../support/local-table';

/** The time the stores' events are stamped with. */
export const EVENT_TIME = new Date('2027-01-25T12:00:00.000Z');
export const clock = { now: () => EVENT_TIME };

/** Each call a new id (`sub_s<n>`): a monthly subscription of `sf_store` due on 2027-01-31. */
export function subscriptionMaker(): (overrides?: Partial<Subscription>) => Subscription {
  let sequence = 0;
  return (overrides = {}) => {
    sequence += 1;
    return {
      id: `sub_s${sequence}`,
      storefrontId: 'sf_store',
      status: 'active',
      customerId: 'cus_1',
      cardId: 'card_1',
      amount: parseAmount('19.99'),
      interval: 'month',
      intervalCount: 1,
      anchorDay: 31,
      periodStart: '2027-01-31T00:00:00.000Z',
      nextChargeAt: '2027-01-31T00:00:00.000Z',
      failedAttempts: 0,
      createdAt: '2027-01-20T00:00:00.000Z',
      ...overrides,
    };
  };
}

/** The item of `stored` as it is in the table, with its keys, index entries and outbox. */
export async function rawItem(table: TestTable, stored: Subscription) {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: keys.subscription(stored.storefrontId, stored.id) }),
  );
  return Item;
}

/** The events the item's outbox holds, as [type, the object]. */
export async function outboxOf(table: TestTable, stored: Subscription) {
  const outbox = ((await rawItem(table, stored))?.outbox ?? []) as OutboxEntry[];
  return outbox.map((entry) => [entry.type, entry.object]);
}
