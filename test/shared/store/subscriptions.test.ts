import type { OutboxEntry } from '../../../shared/events/outbox';
import { parseAmount } from '../../../shared/money';
import { DynamoSubscriptionBilling } from '../../../shared/store/subscription-billing';
import { dueShardOf } from '../../../shared/store/subscription-item';
import { DynamoSubscriptionRepository } from '../../../shared/store/subscriptions';
import { afterApproval } from '../../../shared/subscriptions/dunning';
import { type Subscription, toSubscriptionResource } from '../../../shared/subscriptions/subscription';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { clock, EVENT_TIME, outboxOf, rawItem, subscriptionMaker } from './subscription-items';

describe.each(engines)('Class: DynamoSubscriptionRepository (%s)', (engine) => {
  let table: TestTable;
  let repository: DynamoSubscriptionRepository;
  /** Moves a subscription on as a charge would, under the changes the repository writes. */
  let billing: DynamoSubscriptionBilling;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoSubscriptionRepository(table.db, table.tableName, clock);
    billing = new DynamoSubscriptionBilling(table.db, table.tableName, clock);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const subscription = subscriptionMaker();

  describe('Method: create and get', () => {
    it('stores the amount as cents and reads the subscription back identically', async () => {
      const created = subscription({ description: 'Coffee club' });

      await repository.create(created);

      expect(await repository.get('sf_store', created.id)).toEqual(created);
      expect(await rawItem(table, created)).toMatchObject({
        amountCents: 1999,
        duePk: `DUE#${dueShardOf(created.id)}`,
        dueSk: '2027-01-31T00:00:00.000Z',
        gsi1pk: 'SF#sf_store#SUB',
        gsi1sk: `2027-01-20T00:00:00.000Z#${created.id}`,
        gsi2pk: 'SF#sf_store#CUS#cus_1#SUB',
        gsi2sk: `2027-01-20T00:00:00.000Z#${created.id}`,
      });
    });

    it('writes the subscription.created event in the same put, stamped by its clock', async () => {
      const created = subscription();

      await repository.create(created);
      await repository.create(created);

      const outbox = ((await rawItem(table, created))?.outbox ?? []) as OutboxEntry[];
      expect(outbox).toEqual([
        {
          id: expect.stringMatching(/^evt_/),
          storefrontId: 'sf_store',
          type: 'subscription.created',
          createdAt: EVENT_TIME.toISOString(),
          notBefore: EVENT_TIME.toISOString(),
          object: toSubscriptionResource(created),
        },
      ]);
      expect(await rawItem(table, created)).toMatchObject({ workPk: expect.stringMatching(/^OUTBOX#\d$/) });
    });

    it('does not overwrite an existing subscription', async () => {
      const created = subscription();
      await repository.create(created);

      await repository.create({ ...created, amount: parseAmount('1.00') });

      expect((await repository.get('sf_store', created.id))?.amount).toBe(1999);
    });

    it("finds nothing under another storefront's id", async () => {
      const created = subscription();
      await repository.create(created);

      expect(await repository.get('sf_other', created.id)).toBeUndefined();
    });
  });

  describe('Method: cancel', () => {
    it('cancels, takes it out of the due index, and returns it unchanged when canceled again', async () => {
      const created = subscription();
      await repository.create(created);

      const canceled = await repository.cancel('sf_store', created.id, '2027-01-21T00:00:00.000Z');
      const again = await repository.cancel('sf_store', created.id, '2027-01-22T00:00:00.000Z');

      expect(canceled).toEqual({ ...created, status: 'canceled', canceledAt: '2027-01-21T00:00:00.000Z' });
      expect(again).toEqual(canceled);
      expect((await rawItem(table, created))?.dueSk).toBeUndefined();
    });

    it('answers undefined when there is no such subscription', async () => {
      expect(await repository.cancel('sf_store', 'sub_missing', '2027-01-21T00:00:00.000Z')).toBeUndefined();
    });
  });

  describe('Method: update (PATCH)', () => {
    it('writes the change with its event only onto the state read, so a racing write is refused', async () => {
      // Prepare
      const created = subscription();
      await repository.create(created);
      const cheaper = { ...created, amount: parseAmount('9.99') };
      const described = { ...created, description: 'Gold plan' };

      // Act: two PATCHes computed from the same read.
      const results = await Promise.all([
        repository.update(created, cheaper),
        repository.update(created, described),
      ]);

      // Assess
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? cheaper : described;
      expect(await repository.get('sf_store', created.id)).toEqual(winner);
      expect(await outboxOf(table, created)).toEqual([
        ['subscription.created', toSubscriptionResource(created)],
        ['subscription.updated', toSubscriptionResource(winner)],
      ]);
    });

    it('is refused after a charge moved the subscription on since it was read', async () => {
      const created = subscription();
      await repository.create(created);
      await billing.transition(created, afterApproval(created, 'txn_a4'));

      const written = await repository.update(created, { ...created, cardId: 'card_2' });

      expect(written).toBe(false);
      expect(await repository.get('sf_store', created.id)).toMatchObject({
        cardId: 'card_1',
        periodStart: '2027-02-28T00:00:00.000Z',
      });
    });

    it('puts an unpaid subscription back into the due index when it is due again', async () => {
      const unpaid = subscription({ status: 'unpaid', failedAttempts: 2 });
      await repository.create(unpaid);
      expect((await rawItem(table, unpaid))?.duePk).toBeUndefined();
      const retrying: Subscription = {
        ...unpaid,
        status: 'past_due',
        cardId: 'card_2',
        failedAttempts: 0,
        attemptsBefore: 2,
        nextChargeAt: '2027-03-05T10:00:00.000Z',
        retriesFrom: '2027-03-05T10:00:00.000Z',
      };

      await repository.update(unpaid, retrying);

      expect(await repository.get('sf_store', unpaid.id)).toEqual(retrying);
      expect(await rawItem(table, unpaid)).toMatchObject({
        duePk: `DUE#${dueShardOf(unpaid.id)}`,
        dueSk: '2027-03-05T10:00:00.000Z',
      });
      expect((await outboxOf(table, unpaid)).at(-1)).toEqual([
        'subscription.past_due',
        toSubscriptionResource(retrying),
      ]);
    });
  });

  describe('Method: cancel, events', () => {
    it('writes one subscription.canceled event, however often it is canceled', async () => {
      const created = subscription();
      await repository.create(created);

      const canceled = await repository.cancel('sf_store', created.id, '2027-01-21T00:00:00.000Z');
      await repository.cancel('sf_store', created.id, '2027-01-22T00:00:00.000Z');

      expect(await outboxOf(table, created)).toEqual([
        ['subscription.created', toSubscriptionResource(created)],
        ['subscription.canceled', toSubscriptionResource(canceled as Subscription)],
      ]);
      // The stored item's bookkeeping never leaks into the subscription read back.
      expect(Object.keys((await repository.get('sf_store', created.id)) ?? {})).not.toEqual(
        expect.arrayContaining(['outbox', 'workPk', 'gsi1pk', 'gsi2pk', 'pk']),
      );
    });

    it('cancels a subscription a charge moved on since nothing was read: no change is lost', async () => {
      const created = subscription();
      await repository.create(created);
      await billing.transition(created, afterApproval(created, 'txn_a5'));

      const canceled = await repository.cancel('sf_store', created.id, '2027-02-01T00:00:00.000Z');

      expect(canceled).toMatchObject({
        status: 'canceled',
        periodStart: '2027-02-28T00:00:00.000Z',
        lastTransactionId: 'txn_a5',
      });
      expect((await rawItem(table, created))?.duePk).toBeUndefined();
    });
  });
});
