import { parseAmount } from '../../../shared/money';
import { DynamoSubscriptionBilling } from '../../../shared/store/subscription-billing';
import { DynamoSubscriptionRepository } from '../../../shared/store/subscriptions';
import { afterApproval, afterDecline, defaultDunningPolicy } from '../../../shared/subscriptions/dunning';
import { refusalFailure } from '../../../shared/subscriptions/failure';
import {
  applyChargeState,
  type Subscription,
  toSubscriptionResource,
} from '../../../shared/subscriptions/subscription';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { declineFailure } from '../../support/subscription-fixtures';
import { clock, outboxOf, rawItem, subscriptionMaker } from './subscription-items';

describe.each(engines)('Class: DynamoSubscriptionBilling (%s)', (engine) => {
  let table: TestTable;
  let billing: DynamoSubscriptionBilling;
  /** Creates, PATCHes and cancels, as the API does between the worker's read and its write. */
  let repository: DynamoSubscriptionRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    billing = new DynamoSubscriptionBilling(table.db, table.tableName, clock);
    repository = new DynamoSubscriptionRepository(table.db, table.tableName, clock);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const subscription = subscriptionMaker();

  describe('Method: get', () => {
    it('reads the subscription as the repository stored it, and nothing under another storefront', async () => {
      const created = subscription({ description: 'Coffee club' });
      await repository.create(created);

      expect(await billing.get('sf_store', created.id)).toEqual(created);
      expect(await billing.get('sf_other', created.id)).toBeUndefined();
    });
  });

  describe('Method: transition', () => {
    it('applies a charge once: a second delivery with the same view is refused', async () => {
      const created = subscription();
      await repository.create(created);
      const next = afterApproval(created, 'txn_1');

      const first = await billing.transition(created, next);
      const second = await billing.transition(created, afterApproval({ ...created, ...next }, 'txn_2'));

      expect([first, second]).toEqual([true, false]);
      expect(await billing.get('sf_store', created.id)).toMatchObject({
        periodStart: '2027-02-28T00:00:00.000Z',
        nextChargeAt: '2027-02-28T00:00:00.000Z',
        lastTransactionId: 'txn_1',
      });
      expect(await rawItem(table, created)).toMatchObject({ dueSk: '2027-02-28T00:00:00.000Z' });
    });

    it('moves the due entry to a retry, and removes it when the subscription becomes unpaid', async () => {
      const created = subscription();
      await repository.create(created);
      const retry = afterDecline(created, defaultDunningPolicy, {
        hard: false,
        failure: declineFailure('txn_1'),
      });
      await billing.transition(created, retry);
      const retrying = { ...created, ...retry };
      expect(await rawItem(table, created)).toMatchObject({
        status: 'past_due',
        dueSk: '2027-02-01T00:00:00.000Z',
      });

      const removed = refusalFailure('card_removed', new Date('2027-02-01T00:05:00.000Z'));
      await billing.transition(
        retrying,
        afterDecline(retrying, defaultDunningPolicy, { hard: true, failure: removed }),
      );

      const item = await rawItem(table, created);
      expect(item).toMatchObject({ status: 'unpaid', failedAttempts: 2 });
      expect(item?.duePk).toBeUndefined();
      expect(item?.dueSk).toBeUndefined();
    });

    it('refuses to change a canceled subscription', async () => {
      const created = subscription();
      await repository.create(created);
      await repository.cancel('sf_store', created.id, '2027-01-30T00:00:00.000Z');

      const applied = await billing.transition(created, afterApproval(created, 'txn_1'));

      expect(applied).toBe(false);
      const item = await rawItem(table, created);
      expect(item).toMatchObject({ status: 'canceled', periodStart: created.periodStart });
      expect(item?.duePk).toBeUndefined();
    });
  });

  describe('Method: transition, events and lastFailure', () => {
    it('writes subscription.past_due, .unpaid and .updated with the subscription each one left', async () => {
      // Prepare
      const created = subscription();
      await repository.create(created);
      const declined = afterDecline(created, defaultDunningPolicy, {
        hard: false,
        failure: declineFailure('txn_d1'),
      });
      const pastDue = applyChargeState(created, declined);
      const removed = refusalFailure('card_removed', new Date('2027-02-01T00:05:00.000Z'));
      const unpaidState = afterDecline(pastDue, defaultDunningPolicy, { hard: true, failure: removed });
      const unpaid = applyChargeState(pastDue, unpaidState);

      // Act
      await billing.transition(created, declined);
      await billing.transition(pastDue, unpaidState);

      // Assess
      expect(await billing.get('sf_store', created.id)).toEqual(unpaid);
      expect(unpaid.lastFailure).toEqual(removed);
      expect(unpaid.lastTransactionId).toBe('txn_d1');
      expect(await outboxOf(table, created)).toEqual([
        ['subscription.created', toSubscriptionResource(created)],
        ['subscription.past_due', toSubscriptionResource(pastDue)],
        ['subscription.unpaid', toSubscriptionResource(unpaid)],
      ]);
      expect(toSubscriptionResource(unpaid)).toMatchObject({
        status: 'unpaid',
        nextChargeAt: null,
        lastFailure: { code: 'card_removed', declineCode: null, transactionId: null },
      });
    });

    it('clears lastFailure on an approval and writes subscription.updated', async () => {
      const created = subscription();
      await repository.create(created);
      const declined = afterDecline(created, defaultDunningPolicy, {
        hard: false,
        failure: declineFailure('txn_d2'),
      });
      await billing.transition(created, declined);
      const pastDue = applyChargeState(created, declined);

      await billing.transition(pastDue, afterApproval(pastDue, 'txn_a2'));

      const approved = await billing.get('sf_store', created.id);
      expect(approved).toMatchObject({ status: 'active', failedAttempts: 0, lastTransactionId: 'txn_a2' });
      expect(approved?.lastFailure).toBeUndefined();
      expect((await outboxOf(table, created)).map(([type]) => type)).toEqual([
        'subscription.created',
        'subscription.past_due',
        'subscription.updated',
      ]);
      expect((await outboxOf(table, created)).at(-1)?.[1]).toMatchObject({
        status: 'active',
        lastFailure: null,
      });
    });

    it('applies a charge to a subscription PATCHed meanwhile, and its event shows the new amount', async () => {
      // Prepare: the worker read the subscription, then the storefront changed its amount.
      const created = subscription();
      await repository.create(created);
      const patched = { ...created, amount: parseAmount('25.00') };
      await repository.update(created, patched);

      // Act: the charge's outcome, computed from the state the worker read.
      const applied = await billing.transition(created, afterApproval(created, 'txn_a3'));

      // Assess
      expect(applied).toBe(true);
      const stored = await billing.get('sf_store', created.id);
      expect(stored).toMatchObject({ amount: 2500, periodStart: '2027-02-28T00:00:00.000Z' });
      expect((await outboxOf(table, created)).at(-1)).toEqual([
        'subscription.updated',
        toSubscriptionResource(stored as Subscription),
      ]);
    });
  });
});
