/**
 * The outbox and the relay on both engines: each state change writes its event in the same write, and
 * the relay publishes every due entry exactly once to the endpoints of the same storefront that want it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PENDING_EVENT_DELAY_MS } from '../../../shared/events/derive';
import { outboxShardOf } from '../../../shared/events/outbox';
import { cents, parseAmount } from '../../../shared/money';
import type { Card } from '../../../shared/payments/card';
import type { Transaction } from '../../../shared/payments/transaction';
import { DynamoCardRepository } from '../../../shared/store/cards';
import { InvalidCursorError } from '../../../shared/store/cursor';
import { keys } from '../../../shared/store/keys';
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import type { WebhookEndpoint } from '../../../shared/webhooks/endpoint';
import { publish, relayOutbox, relayOutboxes } from '../../../shared/webhooks/relay';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';
import { type TestWebhookPorts, testClock, testWebhookPorts } from '../../support/webhook-ports';

const T0 = '2026-11-24T10:00:00.000Z';

describe.each(engines)('The outbox and its relay (%s)', (engine) => {
  let table: TestTable;
  let ports: TestWebhookPorts;
  let transactions: DynamoTransactionRepository;
  let cards: DynamoCardRepository;
  let sequence = 0;
  const next = () => {
    sequence += 1;
    return sequence;
  };

  beforeAll(async () => {
    table = await startTestTable(engine);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());
  beforeEach(() => {
    const clock = testClock(T0);
    ports = testWebhookPorts(table, { clock });
    transactions = new DynamoTransactionRepository(table.db, table.tableName, clock);
    cards = new DynamoCardRepository(table.db, table.tableName, clock);
  });

  const storefront = () => `sf_outbox_${engine.replace('-', '_')}_${next()}`;

  function sale(storefrontId: string, overrides: Partial<Transaction> = {}): Transaction {
    return {
      id: `txn_o${next()}`,
      storefrontId,
      type: 'sale',
      status: 'pending',
      amount: parseAmount('25.55'),
      refunded: cents(0),
      createdAt: T0,
      sendCount: 1,
      lastSentAt: T0,
      ...overrides,
    };
  }

  /** An active card of `cus_1`, saved (its `card.saved` entry in its outbox). */
  async function savedCard(storefrontId: string): Promise<Card> {
    const card: Card = {
      id: `card_o${next()}`,
      storefrontId,
      customerId: 'cus_1',
      tokenId: 'tok_x',
      status: 'active',
      createdAt: T0,
    };
    await cards.add(card);
    return card;
  }

  async function endpoint(
    storefrontId: string,
    fields: Partial<WebhookEndpoint> = {},
  ): Promise<WebhookEndpoint> {
    const created: WebhookEndpoint = {
      id: `we_o${next()}`,
      storefrontId,
      url: 'http://127.0.0.1:9/hooks',
      status: 'enabled',
      secretName: `/test/${storefrontId}/webhooks/x`,
      createdAt: T0,
      ...fields,
    };
    await ports.endpoints.create(created);
    return created;
  }

  const rawItem = async (key: { pk: string; sk: string }) =>
    (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true })))
      .Item;

  const txnKey = (t: Transaction) => keys.transaction(t.storefrontId, t.id);

  it('keeps a sale that settles within its request to one event: the settle drops the pending one unpublished', async () => {
    const sf = storefront();
    const begun = sale(sf);
    expect(await transactions.create(begun)).toBe(true);
    const pendingOutbox = await ports.outbox.read(txnKey(begun));
    expect(pendingOutbox.map((e) => [e.type, e.notBefore])).toEqual([
      ['sale.pending', new Date(Date.parse(T0) + PENDING_EVENT_DELAY_MS).toISOString()],
    ]);

    ports.clock.advance(2_000);
    const settled = await transactions.settle({ ...begun, status: 'approved' });
    expect(settled.status).toBe('approved');
    const outbox = await ports.outbox.read(txnKey(begun));
    expect(outbox.map((e) => e.type)).toEqual(['sale.approved']);
    expect(outbox[0]?.object).toMatchObject({ id: begun.id, status: 'approved', amount: '25.55' });
    expect(outbox[0]?.createdAt).toBe('2026-11-24T10:00:02.000Z');

    expect(await relayOutbox(ports, txnKey(begun))).toBe(1);
    const item = await rawItem(txnKey(begun));
    expect(item?.outbox).toBeUndefined();
    expect(item?.workPk).toBeUndefined();
    const stored = await ports.events.get(sf, outbox[0]?.id ?? '');
    expect(stored).toMatchObject({ type: 'sale.approved', object: { id: begun.id, status: 'approved' } });
    // Published once: a second relay finds nothing.
    expect(await relayOutbox(ports, txnKey(begun))).toBe(0);
  });

  it('publishes a sale still pending after its request once the pending event is due, found by the sweep index', async () => {
    const sf = storefront();
    const begun = sale(sf);
    await transactions.create(begun);
    const shard = outboxShardOf(txnKey(begun).pk);
    const due = async () =>
      (await ports.outbox.listDue(shard, ports.clock.now().toISOString())).map((k) => k.pk);

    expect(await due()).not.toContain(txnKey(begun).pk);
    expect(await relayOutbox(ports, txnKey(begun))).toBe(0);

    ports.clock.advance(PENDING_EVENT_DELAY_MS);
    expect(await due()).toContain(txnKey(begun).pk);
    expect(await relayOutbox(ports, txnKey(begun))).toBe(1);
    expect(await due()).not.toContain(txnKey(begun).pk);
    const page = await ports.events.list({ storefrontId: sf, limit: 10 });
    expect(page.data.map((e) => [e.type, e.object.id, (e.object as { status: string }).status])).toEqual([
      ['sale.pending', begun.id, 'pending'],
    ]);
  });

  it('carries an unpublished failure through the resend that follows it, and adds the new pending one', async () => {
    const sf = storefront();
    const begun = sale(sf);
    await transactions.create(begun);
    expect(
      await transactions.replace({ ...begun, status: 'failed', failureCode: 'not_charged' }, begun),
    ).toBe(true);
    const failed = (await transactions.get(sf, begun.id)) as Transaction;
    expect(failed.outbox?.map((e) => e.type)).toEqual(['sale.failed']);

    const resend = { ...failed, status: 'pending' as const, failureCode: undefined, sendCount: 2 };
    expect(await transactions.replace(resend, failed)).toBe(true);
    const outbox = await ports.outbox.read(txnKey(begun));
    expect(outbox.map((e) => e.type)).toEqual(['sale.failed', 'sale.pending']);
    expect(outbox[0]?.object).toMatchObject({ status: 'failed', failureCode: 'not_charged' });
  });

  it('adds card.save_failed beside the approval of a recovered sale whose card could not be saved', async () => {
    const sf = storefront();
    const begun = sale(sf, { customerId: 'cus_1', saveCard: true });
    await transactions.create(begun);
    await transactions.settle({ ...begun, status: 'approved', cardSaveFailed: true });
    const outbox = await ports.outbox.read(txnKey(begun));
    expect(outbox.map((e) => e.type)).toEqual(['sale.approved', 'card.save_failed']);
    expect(outbox[1]?.object).toMatchObject({ id: begun.id, cardSaveFailed: true, cardId: null });
  });

  it('writes card.saved and card.deleted with the card as shown, never its token', async () => {
    const sf = storefront();
    const card: Card = {
      id: `card_o${next()}`,
      storefrontId: sf,
      customerId: 'cus_9',
      tokenId: 'tok_must_never_be_published',
      brand: 'VISA',
      last4: '1111',
      expDate: '1228',
      status: 'active',
      createdAt: T0,
    };
    await cards.add(card);
    expect(await cards.markRemoved(sf, 'cus_9', card.id, T0)).toBe(true);
    expect(await cards.markRemoved(sf, 'cus_9', card.id, T0)).toBe(false);
    const key = keys.card(sf, 'cus_9', card.id);
    const outbox = await ports.outbox.read(key);
    expect(outbox.map((e) => e.type)).toEqual(['card.saved', 'card.deleted']);
    expect(outbox[1]?.object).toEqual({
      id: card.id,
      customerId: 'cus_9',
      brand: 'VISA',
      last4: '1111',
      expDate: '1228',
      createdAt: T0,
    });
    expect(JSON.stringify(await rawItem(key))).not.toContain('tok_must_never_be_published');
    expect(await relayOutbox(ports, key)).toBe(2);
  });

  it('delivers only to the endpoints of the same storefront that want the type, and not to disabled ones', async () => {
    const sf = storefront();
    const everything = await endpoint(sf);
    const refundsOnly = await endpoint(sf, { events: ['refund.approved'] });
    const salesToo = await endpoint(sf, { events: ['refund.approved', 'sale.approved'] });
    await endpoint(sf, { status: 'disabled', disabledReason: 'gone' });
    const other = await endpoint(storefront());
    const begun = sale(sf);
    await transactions.create(begun);
    await transactions.settle({ ...begun, status: 'approved' });
    const [entry] = await ports.outbox.read(txnKey(begun));

    await relayOutbox(ports, txnKey(begun));

    const targets = [everything, refundsOnly, salesToo, other].map(
      async (e) =>
        (
          await ports.deliveries.get({
            storefrontId: e.storefrontId,
            eventId: entry?.id ?? '',
            endpointId: e.id,
          })
        )?.status,
    );
    expect(await Promise.all(targets)).toEqual(['scheduled', undefined, 'scheduled', undefined]);
    expect(ports.queued).toEqual([
      {
        delaySeconds: 0,
        refs: expect.arrayContaining([
          { storefrontId: sf, eventId: entry?.id, endpointId: everything.id },
          { storefrontId: sf, eventId: entry?.id, endpointId: salesToo.id },
        ]),
      },
    ]);
    expect(ports.queued[0]?.refs).toHaveLength(2);
  });

  it("reads each storefront's endpoints once in a run over many items, and delivers every event as one item at a time does", async () => {
    // Prepare: three settled sales of one storefront and two of another, relayed in one run, mixed
    const [sfA, sfB] = [storefront(), storefront()];
    const endpointsA = [await endpoint(sfA), await endpoint(sfA)];
    const endpointB = await endpoint(sfB);
    const settledSale = async (sf: string) => {
      const begun = sale(sf);
      await transactions.create(begun);
      await transactions.settle({ ...begun, status: 'approved' });
      return txnKey(begun);
    };
    const [a1, a2, a3] = [await settledSale(sfA), await settledSale(sfA), await settledSale(sfA)];
    const [b1, b2] = [await settledSale(sfB), await settledSale(sfB)];
    const run = [a1, b1, a2, a3, b2];
    const list = jest.spyOn(ports.endpoints, 'list');

    // Act
    const published = await relayOutboxes(ports, run);

    // Assess
    expect(published).toBe(5);
    expect(list.mock.calls).toEqual([[sfA], [sfB]]);
    const refs = ports.queued.flatMap((q) => q.refs);
    expect(
      refs
        .filter((ref) => ref.storefrontId === sfA)
        .map((ref) => ref.endpointId)
        .sort(),
    ).toEqual([...endpointsA, ...endpointsA, ...endpointsA].map((e) => e.id).sort());
    expect(refs.filter((ref) => ref.storefrontId === sfB).map((ref) => ref.endpointId)).toEqual([
      endpointB.id,
      endpointB.id,
    ]);
    for (const key of run) expect(await ports.outbox.read(key)).toEqual([]);

    // A second run finds nothing due, and reads no endpoints at all.
    list.mockClear();
    expect(await relayOutboxes(ports, run)).toBe(0);
    expect(list).not.toHaveBeenCalled();
  });

  it('reads the endpoints once for an item of several entries relayed on its own', async () => {
    const sf = storefront();
    await endpoint(sf);
    const card = await savedCard(sf);
    await cards.markRemoved(sf, 'cus_1', card.id, T0);
    const list = jest.spyOn(ports.endpoints, 'list');

    expect(await relayOutbox(ports, keys.card(sf, 'cus_1', card.id))).toBe(2);
    expect(list.mock.calls).toEqual([[sf]]);
  });

  it('publishes nothing twice when a relay dies between publishing and emptying the outbox', async () => {
    const sf = storefront();
    const first = await endpoint(sf);
    const begun = sale(sf);
    await transactions.create(begun);
    await transactions.settle({ ...begun, status: 'declined' });
    const [entry] = await ports.outbox.read(txnKey(begun));
    if (!entry) throw new Error('no entry');
    await publish(ports, entry);
    // An endpoint registered after the event was first published does not get it on the rerun.
    const later = await endpoint(sf);

    expect(await relayOutbox(ports, txnKey(begun))).toBe(1);

    expect(ports.queued.flatMap((q) => q.refs)).toEqual([
      { storefrontId: sf, eventId: entry.id, endpointId: first.id },
    ]);
    expect(
      await ports.deliveries.get({ storefrontId: sf, eventId: entry.id, endpointId: later.id }),
    ).toBeUndefined();
    const page = await ports.events.list({ storefrontId: sf, limit: 10 });
    expect(page.data.map((e) => e.type)).toEqual(['sale.declined']);
  });

  it('refuses to take entries out of an outbox that changed since it was read', async () => {
    const sf = storefront();
    const card = await savedCard(sf);
    const key = keys.card(sf, 'cus_1', card.id);
    const seen = await ports.outbox.read(key);
    await cards.markRemoved(sf, 'cus_1', card.id, T0);

    expect(await ports.outbox.remove(key, seen, new Set(seen.map((e) => e.id)))).toBe(false);
    expect((await ports.outbox.read(key)).map((e) => e.type)).toEqual(['card.saved', 'card.deleted']);
    expect(await relayOutbox(ports, key)).toBe(2);
    expect(await ports.outbox.read(key)).toEqual([]);
  });

  it('lists events newest first, by type, in signed pages that belong to their list', async () => {
    const sf = storefront();
    for (const status of ['approved', 'declined', 'approved'] as const) {
      const begun = sale(sf);
      await transactions.create(begun);
      ports.clock.advance(1_000);
      await transactions.settle({ ...begun, status });
      await relayOutbox(ports, txnKey(begun));
    }
    const first = await ports.events.list({ storefrontId: sf, limit: 2 });
    expect(first.data.map((e) => e.type)).toEqual(['sale.approved', 'sale.declined']);
    const second = await ports.events.list({ storefrontId: sf, limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.data.map((e) => e.type)).toEqual(['sale.approved']);
    const approvals = await ports.events.list({ storefrontId: sf, type: 'sale.approved', limit: 10 });
    expect(approvals.data).toHaveLength(2);
    await expect(
      ports.events.list({ storefrontId: storefront(), limit: 2, cursor: first.nextCursor ?? '' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
