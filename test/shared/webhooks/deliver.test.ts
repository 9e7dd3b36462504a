/**
 * Delivery attempts against a real endpoint on this machine, verified by the reference implementation
 * of Standard Webhooks: signed, retried on the schedule, given up, disabled by 410, never sent twice.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import type { StoredEvent } from '../../../shared/events/event';
import { metrics } from '../../../shared/observability/metrics';
import { ATTEMPT_LEASE_MS, attemptDelivery } from '../../../shared/webhooks/deliver';
import type { DeliveryRef } from '../../../shared/webhooks/delivery';
import { createEndpoint, deleteEndpoint } from '../../../shared/webhooks/endpoints';
import { publish } from '../../../shared/webhooks/relay';
import { sweep } from '../../../shared/webhooks/sweep';
import { startTestTable, type TestTable } from '../../support/local-table';
import { startTestEndpoint, type TestEndpoint } from '../../support/webhook-endpoint';
import { type TestWebhookPorts, testClock, testWebhookPorts } from '../../support/webhook-ports';

const T0 = '2026-11-24T10:00:00.000Z';

describe('Function: attemptDelivery', () => {
  let table: TestTable;
  let ports: TestWebhookPorts;
  let receiver: TestEndpoint | undefined;
  let sequence = 0;
  const next = () => {
    sequence += 1;
    return sequence;
  };

  beforeAll(async () => {
    table = await startTestTable('dynalite');
  });
  afterAll(() => table?.close());
  beforeEach(() => {
    ports = testWebhookPorts(table, { clock: testClock(T0), retrySchedule: [5_000, 3_600_000] });
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  /** An endpoint of a fresh storefront at `receiver`, and its secret. */
  async function register(answer?: (n: number) => number, events?: StoredEvent['type'][]) {
    receiver = await startTestEndpoint(answer);
    const storefrontId = `sf_deliver_${next()}`;
    const id = `we_d${sequence}`;
    await createEndpoint(ports, { storefrontId, url: receiver.url, ...(events ? { events } : {}) }).run(id, {
      key: 'k',
      resumed: false,
    });
    const secret = await ports.secrets.read(ports.secretName(storefrontId, id));
    receiver.trust(secret);
    return { storefrontId, endpointId: id, secret };
  }

  /** Publishes one sale.approved event of the storefront; returns its delivery to `endpointId`. */
  async function publishSale(storefrontId: string, endpointId: string): Promise<DeliveryRef> {
    const eventId = `evt_d${next()}`;
    await publish(ports, {
      id: eventId,
      storefrontId,
      type: 'sale.approved',
      createdAt: T0,
      notBefore: T0,
      object: {
        id: 'txn_1',
        type: 'sale',
        status: 'approved',
        amount: '12.34',
        currency: 'USD',
        refundedAmount: '0.00',
        saleId: null,
        customerId: 'cus_1',
        cardId: null,
        subscriptionId: null,
        card: null,
        orderId: null,
        description: null,
        gateway: null,
        failureCode: null,
        cardSaveFailed: false,
        createdAt: T0,
      },
    });
    return { storefrontId, eventId, endpointId };
  }

  it('POSTs the event signed with the endpoint secret, which standardwebhooks verifies', async () => {
    const { storefrontId, endpointId, secret } = await register();
    const ref = await publishSale(storefrontId, endpointId);

    expect(await attemptDelivery(ports, ref)).toBe('delivered');

    const [request] = receiver?.received ?? [];
    expect(request?.headers['webhook-id']).toBe(ref.eventId);
    expect(request?.headers['webhook-timestamp']).toBe(String(Date.parse(T0) / 1000));
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      id: ref.eventId,
      type: 'sale.approved',
      createdAt: T0,
      data: { object: expect.objectContaining({ id: 'txn_1', amount: '12.34', status: 'approved' }) },
    });
    // The reference implementation, with its timestamp tolerance at our fixed clock.
    const verifier = new Webhook(secret);
    const headers = {
      'webhook-id': String(request?.headers['webhook-id']),
      'webhook-timestamp': String(request?.headers['webhook-timestamp']),
      'webhook-signature': String(request?.headers['webhook-signature']),
    };
    jest.useFakeTimers({ now: new Date(T0), doNotFake: ['setTimeout', 'setImmediate', 'nextTick'] });
    try {
      expect(verifier.verify(request?.body ?? '', headers)).toMatchObject({ id: ref.eventId });
      expect(() => verifier.verify((request?.body ?? '').replace('12.34', '99.99'), headers)).toThrow();
      expect(() =>
        verifier.verify(request?.body ?? '', {
          ...headers,
          'webhook-timestamp': String(Date.parse(T0) / 1000 + 1),
        }),
      ).toThrow();
    } finally {
      jest.useRealTimers();
    }
    expect(await ports.deliveries.get(ref)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
    });
    // A second copy of the queue message finds it delivered and sends nothing.
    expect(await attemptDelivery(ports, ref)).toBe('skipped');
    expect(receiver?.received).toHaveLength(1);
  });

  it('retries an endpoint answering 500 on the schedule, then delivers, and marks it healthy again', async () => {
    const { storefrontId, endpointId } = await register((n) => (n === 1 ? 500 : 204));
    const ref = await publishSale(storefrontId, endpointId);
    ports.queued.length = 0;

    expect(await attemptDelivery(ports, ref)).toBe('retrying');
    expect(await ports.deliveries.get(ref)).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      lastStatus: 500,
      lastError: expect.stringContaining('500'),
      nextAttemptAt: '2026-11-24T10:00:05.000Z',
    });
    expect(ports.queued).toEqual([{ refs: [ref], delaySeconds: 5 }]);
    expect((await ports.endpoints.get(storefrontId, endpointId))?.failingSince).toBe(T0);

    // Early (a duplicate message): nothing is sent.
    ports.clock.advance(2_500);
    expect(await attemptDelivery(ports, ref)).toBe('skipped');
    expect(receiver?.received).toHaveLength(1);

    ports.clock.advance(2_500);
    expect(await attemptDelivery(ports, ref)).toBe('delivered');
    // (Verified in the first test: this clock is a day behind the receiver's tolerance window.)
    expect(receiver?.received.map((r) => r.headers['webhook-id'])).toEqual([ref.eventId, ref.eventId]);
    expect(await ports.deliveries.get(ref)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatus: 204,
    });
    expect((await ports.endpoints.get(storefrontId, endpointId))?.failingSince).toBeUndefined();
  });

  it('keeps a wait longer than a queue can hold in the index, where the sweep finds it when due; then gives up', async () => {
    const { storefrontId, endpointId } = await register(() => 503);
    const ref = await publishSale(storefrontId, endpointId);
    await attemptDelivery(ports, ref);
    ports.clock.advance(5_000);
    ports.queued.length = 0;

    expect(await attemptDelivery(ports, ref)).toBe('retrying');
    // An hour is past SQS's 15 minutes: not queued.
    expect(ports.queued).toEqual([]);
    ports.clock.advance(3_599_000);
    await sweep(ports);
    expect(ports.queued.flatMap((q) => q.refs)).not.toContainEqual(ref);
    ports.clock.advance(1_000);
    await sweep(ports);
    expect(ports.queued.flatMap((q) => q.refs)).toContainEqual(ref);

    expect(await attemptDelivery(ports, ref)).toBe('failed');
    expect(await ports.deliveries.get(ref)).toMatchObject({ status: 'failed', attempts: 3, lastStatus: 503 });
    expect(receiver?.received).toHaveLength(3);
    // Given up, the event is still there to read.
    expect(await ports.events.get(storefrontId, ref.eventId)).toMatchObject({ id: ref.eventId });
  });

  it('disables an endpoint that answers 410 Gone, and publishes nothing more to it', async () => {
    const { storefrontId, endpointId } = await register(() => 410);
    const ref = await publishSale(storefrontId, endpointId);

    expect(await attemptDelivery(ports, ref)).toBe('canceled');

    expect(await ports.endpoints.get(storefrontId, endpointId)).toMatchObject({
      status: 'disabled',
      disabledReason: 'gone',
    });
    const next = await publishSale(storefrontId, endpointId);
    expect(await ports.deliveries.get(next)).toBeUndefined();
    expect(receiver?.received).toHaveLength(1);
  });

  it('takes up an attempt whose process died after claiming it, once its lease is over', async () => {
    const { storefrontId, endpointId } = await register();
    const ref = await publishSale(storefrontId, endpointId);
    const seen = await ports.deliveries.get(ref);
    if (!seen) throw new Error('no delivery');
    // The claim of an attempt that then died.
    await ports.deliveries.update(seen, { ...seen, attempts: 1, nextAttemptAt: '2026-11-24T10:01:00.000Z' });
    ports.queued.length = 0;

    await sweep(ports);
    expect(ports.queued).toEqual([]);
    ports.clock.advance(ATTEMPT_LEASE_MS);
    await sweep(ports);
    expect(ports.queued.flatMap((q) => q.refs)).toContainEqual(ref);
    expect(await attemptDelivery(ports, ref)).toBe('delivered');
    expect(await ports.deliveries.get(ref)).toMatchObject({ attempts: 2 });
  });

  it('lets only one of two copies of a message make the attempt', async () => {
    const { storefrontId, endpointId } = await register();
    const ref = await publishSale(storefrontId, endpointId);

    const results = await Promise.all([attemptDelivery(ports, ref), attemptDelivery(ports, ref)]);

    expect(results.sort()).toEqual(['delivered', 'skipped']);
    expect(receiver?.received).toHaveLength(1);
  });

  it('cancels what is owed to a deleted endpoint, counts it, and deletes its secret', async () => {
    const { storefrontId, endpointId } = await register();
    const ref = await publishSale(storefrontId, endpointId);
    await deleteEndpoint(ports, storefrontId, endpointId);
    const addMetric = jest.spyOn(metrics, 'addMetric');

    expect(await attemptDelivery(ports, ref)).toBe('canceled');
    expect(addMetric.mock.calls).toEqual([['WebhooksCanceled', 'Count', 1]]);
    addMetric.mockRestore();
    expect(receiver?.received).toHaveLength(0);
    expect(ports.secretValues.has(ports.secretName(storefrontId, endpointId))).toBe(false);
    await expect(deleteEndpoint(ports, storefrontId, endpointId)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('keeps no secret in the table', async () => {
    await register();
    const { Items = [] } = await table.db.send(new ScanCommand({ TableName: table.tableName }));
    expect(JSON.stringify(Items)).not.toContain('whsec_');
  });
});
