import { GatewayUnavailableError } from '../../../shared/clearent/errors';
import { parseAmount } from '../../../shared/money';
import { reconcile } from '../../../shared/payments/reconciliation';
import {
  serverErrorAfterCharging,
  timeoutAfterCharging,
  timeoutBeforeCharging,
} from '../../support/fake-gateway';
import { memoryPorts } from '../../support/memory-ports';
import {
  addCard,
  approvedSale,
  keyRecord,
  operations,
  refundOf,
  SETTLE_WINDOW_MS,
  sellWithCard,
  sellWithJwt,
  stored,
} from './payments-setup';

describe('Function: reconcile', () => {
  it("resolves a pending sale nobody retries, records it, and starts its key's expiry; a retry then replays it", async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutAfterCharging());
    await sellWithCard(ports);
    const keyWhilePending = { ...keyRecord(ports, 'sale-1') };
    ports.advance(SETTLE_WINDOW_MS + 1);

    // Act
    const summary = await reconcile(ports, ports.clock.now());
    const retry = await sellWithCard(ports);

    // Assess
    expect(summary).toEqual({
      sentBefore: '2026-11-24T10:00:00.001Z',
      examined: 1,
      resolved: 1,
      notCharged: 0,
      unresolved: 0,
      complete: true,
    });
    expect(keyWhilePending).toMatchObject({ expires: false });
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'approved',
      gateway: { transactionId: ports.fakeGateway.ledger[0]?.transactionId },
      response: { statusCode: 201 },
    });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ expires: true });
    expect(retry).toMatchObject({ statusCode: 201, replayed: true });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
  });

  it('records a pending JWT sale it finds without a token as approved with cardSaveFailed', async () => {
    const ports = memoryPorts();
    ports.fakeGateway.script(serverErrorAfterCharging(502));
    await sellWithJwt(ports);
    ports.advance(SETTLE_WINDOW_MS + 1);

    const summary = await reconcile(ports, ports.clock.now());

    expect(summary).toMatchObject({ examined: 1, resolved: 1 });
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved', cardSaveFailed: true });
    expect(ports.cards.items.size).toBe(0);
  });

  it('marks a sale the gateway has no record of past the window failed / not_charged, never sends it, and a retry under the key sends it again', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    ports.advance(SETTLE_WINDOW_MS + 1);

    // Act
    const summary = await reconcile(ports, ports.clock.now());
    const afterReconciliation = await stored(ports, 'txn_000001');
    const keyAfterReconciliation = { ...keyRecord(ports, 'sale-1') };
    const retry = await sellWithCard(ports);

    // Assess
    expect(summary).toMatchObject({ examined: 1, resolved: 0, notCharged: 1, unresolved: 0 });
    expect(afterReconciliation).toMatchObject({ status: 'failed', failureCode: 'not_charged', sendCount: 1 });
    expect(afterReconciliation?.response).toBeUndefined();
    expect(keyAfterReconciliation).toMatchObject({ expires: true });
    expect(retry.statusCode).toBe(201);
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions', 'tokenSale']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved', sendCount: 2 });
  });

  it('gives the hold of a refund the gateway has no record of back', async () => {
    const ports = memoryPorts();
    approvedSale(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await refundOf(ports, 'txn_sale', parseAmount('30.00'));
    const heldWhilePending = (await stored(ports, 'txn_sale'))?.refunded;
    ports.advance(SETTLE_WINDOW_MS + 1);

    const summary = await reconcile(ports, ports.clock.now());

    expect(heldWhilePending).toBe(3000);
    expect(summary).toMatchObject({ examined: 1, notCharged: 1 });
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      type: 'refund',
      status: 'failed',
      failureCode: 'not_charged',
    });
    expect(await stored(ports, 'txn_sale')).toMatchObject({ refunded: 0 });
    expect(await ports.transactions.refundHold('sf_a', 'txn_sale', 'txn_000001')).toBeUndefined();
    expect(operations(ports)).toEqual(['refund', 'searchTransactions']);
  });

  it('records a refund it finds, keeping its hold', async () => {
    const ports = memoryPorts();
    approvedSale(ports);
    ports.fakeGateway.script(timeoutAfterCharging());
    await refundOf(ports, 'txn_sale', parseAmount('30.00'));
    ports.advance(SETTLE_WINDOW_MS + 1);

    const summary = await reconcile(ports, ports.clock.now());

    expect(summary).toMatchObject({ examined: 1, resolved: 1 });
    expect(await stored(ports, 'txn_000001')).toMatchObject({ type: 'refund', status: 'approved' });
    expect(await stored(ports, 'txn_sale')).toMatchObject({ refunded: 3000 });
  });

  it('gives back the hold of a refund it finds declined', async () => {
    const ports = memoryPorts();
    approvedSale(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await refundOf(ports, 'txn_sale', parseAmount('30.00'));
    ports.fakeGateway.record({
      type: 'REFUND',
      invoice: 'txn_000001',
      amount: parseAmount('30.00'),
      outcome: 'declined',
      resultCode: '025',
      message: 'Exceeds refundable amount',
    });
    ports.advance(SETTLE_WINDOW_MS + 1);

    const summary = await reconcile(ports, ports.clock.now());

    expect(summary).toMatchObject({ examined: 1, resolved: 1 });
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'declined',
      response: { statusCode: 402 },
    });
    expect(await stored(ports, 'txn_sale')).toMatchObject({ refunded: 0 });
  });

  it("leaves a sale it cannot resolve pending, counts it, and takes its key's expiry away", async () => {
    // Prepare: the attempt died after its begin write, so its key still has the expiry it was claimed with.
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    const record = keyRecord(ports, 'sale-1');
    if (record) record.expires = true;
    ports.fakeGateway.scriptSearch(new GatewayUnavailableError('Clearent answered HTTP 503'));
    ports.advance(SETTLE_WINDOW_MS * 5);

    // Act
    const summary = await reconcile(ports, ports.clock.now());

    // Assess
    expect(summary).toMatchObject({ examined: 1, resolved: 0, notCharged: 0, unresolved: 1, complete: true });
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'pending', sendCount: 1 });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ expires: false });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
  });

  it('leaves alone what was sent inside the settle window, even if the gateway would show it', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutAfterCharging());
    await sellWithCard(ports);
    ports.advance(SETTLE_WINDOW_MS - 1_000);

    const summary = await reconcile(ports, ports.clock.now());

    expect(summary).toMatchObject({ examined: 0, resolved: 0, notCharged: 0, unresolved: 0, complete: true });
    expect(operations(ports)).toEqual(['tokenSale']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'pending' });
  });

  it('stops before a page when time runs out, and says the run is incomplete', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutAfterCharging());
    await sellWithCard(ports);
    ports.advance(SETTLE_WINDOW_MS + 1);

    const summary = await reconcile(ports, ports.clock.now(), { hasTimeLeft: () => false });

    expect(summary).toMatchObject({ examined: 0, complete: false });
    expect(operations(ports)).toEqual(['tokenSale']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'pending' });
  });
});
