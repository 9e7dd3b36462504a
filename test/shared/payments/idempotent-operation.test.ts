import { NotFoundError } from '../../../shared/http/errors';
import { parseAmount } from '../../../shared/money';
import {
  type AttemptContext,
  type IdempotentOperation,
  type IdempotentRequest,
  runIdempotent,
} from '../../../shared/payments/idempotent-operation';
import type { Transaction } from '../../../shared/payments/transaction';
import { timeoutBeforeCharging } from '../../support/fake-gateway';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';
import { addCard, bodyOf, keyRecord, STOREFRONT, sellWithCard } from './payments-setup';

const REQUEST: IdempotentRequest = {
  storefrontId: STOREFRONT,
  key: 'key-1',
  route: 'POST /v1/sales/token',
  requestHash: 'h-key-1',
  idPrefix: 'txn',
};

/** The key's first attempt died holding its lock, before it began any send. */
function diedHoldingTheLock(ports: TestPorts, request = REQUEST): void {
  ports.idempotency.records.set(`${STOREFRONT}/${request.key}`, {
    storefrontId: STOREFRONT,
    key: request.key,
    route: request.route,
    requestHash: request.requestHash,
    resourceId: 'txn_dead',
    state: 'locked',
    lockedUntil: ports.clock.now().getTime() - 1,
  });
}

/** An operation that answers `transaction` as given, and remembers how it was run. */
function answering(transaction: (id: string) => Transaction) {
  const runs: Array<{ id: string } & AttemptContext> = [];
  const operation: IdempotentOperation = {
    run: async (id, context) => {
      runs.push({ id, ...context });
      return { transaction: transaction(id) };
    },
  };
  return { operation, runs };
}

/** A sale sent at 10:00:00 whose outcome is unknown. */
const pendingSale = (id: string): Transaction => ({
  id,
  storefrontId: STOREFRONT,
  type: 'sale',
  status: 'pending',
  amount: parseAmount('10.00'),
  refunded: parseAmount('0'),
  createdAt: '2026-11-24T10:00:00.000Z',
  sendCount: 1,
  lastSentAt: '2026-11-24T10:00:00.000Z',
});

describe('Function: runIdempotent', () => {
  it('lets exactly one of two retries take over an expired lock at once; the other gets 409 with Retry-After', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    diedHoldingTheLock(ports, { ...REQUEST, key: 'sale-1', requestHash: 'h-sale-1' });

    // Act
    const [first, second] = await Promise.allSettled([sellWithCard(ports), sellWithCard(ports)]);

    // Assess
    expect(first).toMatchObject({ status: 'fulfilled', value: { statusCode: 201, resourceId: 'txn_dead' } });
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toMatchObject({
      statusCode: 409,
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
      retryAfterSeconds: 1,
      headers: { 'retry-after': '1' },
    });
    expect(ports.fakeGateway.requests('tokenSale').map((request) => request.invoice)).toEqual(['txn_dead']);
    expect([...ports.transactions.items.keys()]).toEqual(['sf_a/txn_dead']);
  });

  it('answers 409 with the seconds left on a lock another attempt holds, and runs nothing', async () => {
    const ports = memoryPorts();
    const { operation, runs } = answering(pendingSale);
    ports.idempotency.records.set(`${STOREFRONT}/key-1`, {
      storefrontId: STOREFRONT,
      key: 'key-1',
      route: REQUEST.route,
      requestHash: REQUEST.requestHash,
      resourceId: 'txn_running',
      state: 'locked',
      lockedUntil: ports.clock.now().getTime() + 12_001,
    });

    await expect(runIdempotent(ports, REQUEST, operation)).rejects.toMatchObject({
      statusCode: 409,
      retryAfterSeconds: 13,
    });
    expect(runs).toEqual([]);
  });

  it('runs the first attempt fresh and a later one as resumed, under the same transaction id', async () => {
    // Prepare
    const ports = memoryPorts();
    const { operation, runs } = answering(pendingSale);

    // Act
    const first = await runIdempotent(ports, REQUEST, operation);
    ports.advance(30_000);
    const retry = await runIdempotent(ports, REQUEST, operation);

    // Assess
    expect(runs).toEqual([
      { id: 'txn_000001', key: 'key-1', resumed: false },
      { id: 'txn_000001', key: 'key-1', resumed: true },
    ]);
    expect(first).toMatchObject({ statusCode: 504, replayed: false, headers: { 'retry-after': '120' } });
    expect(retry).toMatchObject({ statusCode: 504, replayed: false, headers: { 'retry-after': '90' } });
    expect(bodyOf(retry).error.code).toBe('outcome_unknown');
  });

  it('keeps the key of a pending transaction from expiring, and expires it once the transaction is known', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());

    // Act
    await sellWithCard(ports);
    const whilePending = { ...keyRecord(ports, 'sale-1') };
    ports.advance(120_000);
    await sellWithCard(ports);

    // Assess
    expect(whilePending).toMatchObject({ state: 'released', expires: false });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ state: 'released', expires: true });
  });

  it('stores and replays a refusal made before anything was sent', async () => {
    const ports = memoryPorts();
    let runs = 0;
    const operation: IdempotentOperation = {
      run: async () => {
        runs += 1;
        throw new NotFoundError('card', 'cardId');
      },
    };

    const first = await runIdempotent(ports, REQUEST, operation);
    const replay = await runIdempotent(ports, REQUEST, operation);

    expect(first).toMatchObject({ statusCode: 404, replayed: false });
    expect(replay).toEqual({ ...first, replayed: true });
    expect(runs).toBe(1);
    expect(keyRecord(ports, 'key-1')).toMatchObject({ expires: true, response: { statusCode: 404 } });
  });

  it('runs a key whose resource is no transaction without the transaction store, and replays its answer', async () => {
    // Prepare: the ports a subscriptions function has (no transactions), and a key in flight
    const { idempotency, clock, ids, timing } = memoryPorts();
    const keyPorts = { idempotency, clock, ids, timing };
    const request: IdempotentRequest = { ...REQUEST, route: 'POST /v1/subscriptions', idPrefix: 'sub' };
    const created = { statusCode: 201, body: JSON.stringify({ id: 'sub_1' }) };
    const operation: IdempotentOperation = { run: async () => ({ response: created }) };

    // Act
    const first = await runIdempotent(keyPorts, request, operation);
    const replay = await runIdempotent(keyPorts, request, operation);

    // Assess
    expect(first).toMatchObject({ ...created, replayed: false });
    expect(replay).toMatchObject({ ...created, replayed: true, resourceId: first.resourceId });
  });

  it('takes over a key whose resource is no transaction without looking for a transaction', async () => {
    // Prepare: a subscription key whose first attempt died holding its lock (no answer on the key)
    const ports = memoryPorts();
    const request: IdempotentRequest = { ...REQUEST, route: 'POST /v1/subscriptions', idPrefix: 'sub' };
    diedHoldingTheLock(ports, request);
    const { idempotency, clock, ids, timing } = ports;
    const created = { statusCode: 201, body: JSON.stringify({ id: 'sub_1' }) };

    // Act
    const resumed = await runIdempotent({ idempotency, clock, ids, timing }, request, {
      run: async () => ({ response: created }),
    });

    // Assess
    expect(resumed).toMatchObject({ ...created, replayed: false, resourceId: 'txn_dead' });
  });

  it('refuses to run a transaction route without the transaction store rather than skip its answer', async () => {
    // Prepare: a sale key whose record holds no answer (the answer is on the transaction)
    const ports = memoryPorts();
    diedHoldingTheLock(ports);
    const { idempotency, clock, ids, timing } = ports;

    // Act
    const run = runIdempotent({ idempotency, clock, ids, timing }, REQUEST, answering(pendingSale).operation);

    // Assess
    await expect(run).rejects.toThrow('a transaction route runs idempotently with the transaction store');
  });

  it('frees the key without an expiry on a fault of ours, and rethrows it', async () => {
    const ports = memoryPorts();
    const operation: IdempotentOperation = {
      run: async () => {
        throw new Error('boom');
      },
    };

    await expect(runIdempotent(ports, REQUEST, operation)).rejects.toThrow('boom');

    expect(keyRecord(ports, 'key-1')).toMatchObject({ state: 'released', expires: false });
  });
});
