/**
 * A recurring charge in flight (sent, outcome unknown) is resolved under its own invoice before anything
 * else: before the card, the subscription's status or a new invoice for the period is looked at.
 */
import { reconcile } from '../../../shared/payments/reconciliation';
import { chargeSubscription } from '../../../shared/subscriptions/worker';
import {
  type Script,
  serverError,
  serverErrorAfterCharging,
  timeoutAfterCharging,
  timeoutBeforeCharging,
} from '../../support/fake-gateway';
import { SETTLE_WINDOW_MS } from '../../support/memory-ports';
import {
  currentChargeId,
  dueMessage,
  preparedPorts,
  type RecurringTestPorts,
  recordedCharges,
  STOREFRONT,
  storedSubscription,
} from './recurring-setup';

/** The first delivery of `sub_1`'s charge meets `fault`; returns its message and invoice. */
async function chargeInFlight(ports: RecurringTestPorts, fault: Script) {
  ports.fakeGateway.script(fault);
  const message = await dueMessage(ports);
  const chargeId = await currentChargeId(ports);
  await expect(chargeSubscription(ports, message)).rejects.toMatchObject({
    name: 'ChargeDeferredError',
    reason: 'outcome_unknown',
  });
  return { message, chargeId };
}

const operations = (ports: RecurringTestPorts) => ports.fakeGateway.calls.map((call) => call.operation);

describe('Function: chargeSubscription, a charge in flight', () => {
  it('records a charge made before the card was removed, instead of refusing it for the card', async () => {
    // Prepare: Clearent charged and answered 5xx; then the customer removed the card.
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, serverErrorAfterCharging(503));
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-12-01T00:06:00.000Z');

    // Act
    ports.advance(30_000);
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls).toEqual([
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: chargeId }) },
      { operation: 'searchTransactions', request: { invoice: chargeId } },
    ]);
    expect(recordedCharges(ports)).toEqual([expect.objectContaining({ id: chargeId, status: 'approved' })]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      periodStart: '2027-01-01T00:00:00.000Z',
      lastTransactionId: chargeId,
    });
  });

  it('refuses for the removed card only once the charge is known not made: unpaid, not charged, nothing sent again', async () => {
    // Prepare
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, timeoutBeforeCharging());
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-12-01T00:06:00.000Z');

    // Act
    const early = await chargeSubscription(ports, message).catch((error: unknown) => error);
    const afterEarly = await storedSubscription(ports);
    ports.advance(SETTLE_WINDOW_MS);
    const late = await chargeSubscription(ports, message);

    // Assess
    expect(early).toMatchObject({ name: 'ChargeDeferredError', reason: 'outcome_unknown' });
    expect(afterEarly).toMatchObject({ status: 'active', failedAttempts: 0 });
    expect(late).toEqual({ result: 'declined', reason: 'card_removed', status: 'unpaid' });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions', 'searchTransactions']);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'failed', failureCode: 'not_charged' }),
    ]);
    expect(await storedSubscription(ports)).toMatchObject({ status: 'unpaid', failedAttempts: 1 });
  });

  it('resolves the charge of a subscription canceled while it was in flight, and records it without reviving it', async () => {
    // Prepare
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, timeoutAfterCharging());
    await ports.subscriptions.cancel(STOREFRONT, 'sub_1', '2026-12-01T00:06:00.000Z');

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'approved', subscriptionId: 'sub_1' }),
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'canceled',
      periodStart: '2026-12-01T00:00:00.000Z',
    });
  });

  it('never sends a new sale for a canceled subscription, even past the window: the charge not made is recorded not charged', async () => {
    // Prepare
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, timeoutBeforeCharging());
    await ports.subscriptions.cancel(STOREFRONT, 'sub_1', '2026-12-01T00:06:00.000Z');

    // Act
    const early = await chargeSubscription(ports, message);
    const whileUnknown = recordedCharges(ports)[0]?.status;
    ports.advance(SETTLE_WINDOW_MS);
    const late = await chargeSubscription(ports, message);
    ports.advance(SETTLE_WINDOW_MS);
    const later = await chargeSubscription(ports, message);

    // Assess
    expect([early, late, later]).toEqual(Array(3).fill({ result: 'skipped', reason: 'not_chargeable' }));
    expect(whileUnknown).toBe('pending');
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'failed', failureCode: 'not_charged' }),
    ]);
    expect((await storedSubscription(ports)).status).toBe('canceled');
  });

  it('resolves a charge answered 5xx but made under the same invoice: one sale, one advance', async () => {
    // Prepare
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, serverErrorAfterCharging(500));

    // Act
    ports.advance(SETTLE_WINDOW_MS * 2);
    const result = await chargeSubscription(ports, message);
    const redelivered = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(redelivered).toEqual({ result: 'skipped', reason: 'stale' });
    expect(ports.fakeGateway.requests('tokenSale').map((request) => request.invoice)).toEqual([chargeId]);
    expect(ports.fakeGateway.ledger).toHaveLength(1);
    expect(ports.billing.transitions).toBe(1);
  });

  it('sends a charge answered 5xx and not made again under the same invoice, only once the window has passed', async () => {
    // Prepare
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, serverError(503));

    // Act
    const early = await chargeSubscription(ports, message).catch((error: unknown) => error);
    ports.advance(SETTLE_WINDOW_MS);
    const late = await chargeSubscription(ports, message);

    // Assess
    expect(early).toMatchObject({ reason: 'outcome_unknown' });
    expect(late).toEqual({ result: 'approved', transactionId: chargeId });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions', 'searchTransactions', 'tokenSale']);
    expect(ports.fakeGateway.requests('tokenSale').map((request) => request.invoice)).toEqual([
      chargeId,
      chargeId,
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'approved', sendCount: 2 }),
    ]);
  });

  it('advances the subscription on the next delivery of a charge reconciliation recorded, without another sale', async () => {
    // Prepare
    const ports = await preparedPorts();
    const { message, chargeId } = await chargeInFlight(ports, timeoutAfterCharging());
    ports.advance(SETTLE_WINDOW_MS + 1);
    await reconcile(ports, ports.clock.now());

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
    expect(await storedSubscription(ports)).toMatchObject({ periodStart: '2027-01-01T00:00:00.000Z' });
  });
});
