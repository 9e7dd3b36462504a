import { GatewayInvalidRequestError } from '../../../shared/clearent/errors';
import {
  ChargeDeferredError,
  chargeSubscription,
  chargeTransactionId,
} from '../../../shared/subscriptions/worker';
import { notReached, serverErrorAfterCharging, timeoutAfterCharging } from '../../support/fake-gateway';
import {
  CARD_TOKEN,
  currentChargeId,
  deliverDue,
  dueMessage,
  failNextTransactionWrite,
  preparedPorts,
  recordedCharges,
  storedSubscription,
} from './recurring-setup';

describe('Function: chargeTransactionId', () => {
  it('is the same for every delivery of one attempt, and new for the next attempt or period', async () => {
    const ports = await preparedPorts();
    const subscription = await storedSubscription(ports);

    const id = chargeTransactionId(subscription);

    expect(id).toMatch(/^txn_[0-9a-f]{32}$/);
    expect(chargeTransactionId({ ...subscription })).toBe(id);
    expect(chargeTransactionId({ ...subscription, status: 'past_due', description: 'renewal' })).toBe(id);
    expect(chargeTransactionId({ ...subscription, failedAttempts: 1 })).not.toBe(id);
    expect(chargeTransactionId({ ...subscription, periodStart: '2027-01-01T00:00:00.000Z' })).not.toBe(id);
    expect(chargeTransactionId({ ...subscription, id: 'sub_2' })).not.toBe(id);
    expect(chargeTransactionId({ ...subscription, storefrontId: 'sf_b' })).not.toBe(id);
  });
});

describe('Function: chargeSubscription', () => {
  it('charges the stored card once, records the charge with its subscription, and moves to the next month', async () => {
    // Prepare
    const ports = await preparedPorts();
    const chargeId = await currentChargeId(ports);

    // Act
    const result = await deliverDue(ports);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'tokenSale',
        request: expect.objectContaining({
          tokenId: CARD_TOKEN,
          expDate: '1228',
          amount: 1999,
          invoice: chargeId,
          customerId: 'cus_42',
        }),
      },
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({
        id: chargeId,
        status: 'approved',
        amount: 1999,
        subscriptionId: 'sub_1',
        customerId: 'cus_42',
        cardId: 'card_1',
        sendCount: 1,
      }),
    ]);
    expect(recordedCharges(ports)[0]?.idempotencyKey).toBeUndefined();
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      periodStart: '2027-01-01T00:00:00.000Z',
      nextChargeAt: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
      lastTransactionId: chargeId,
    });
  });

  it('skips a duplicate delivery of a charge already made: one sale, one advance', async () => {
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    await chargeSubscription(ports, message);

    const again = await chargeSubscription(ports, message);

    expect(again).toEqual({ result: 'skipped', reason: 'stale' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(recordedCharges(ports)).toHaveLength(1);
    expect((await storedSubscription(ports)).nextChargeAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('lets a duplicate delivered while the first is charging find that charge, never send its own: one sale', async () => {
    // Prepare
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);

    // Act
    const [first, second] = await Promise.allSettled([
      chargeSubscription(ports, message),
      chargeSubscription(ports, message),
    ]);
    const redelivered = await chargeSubscription(ports, message);

    // Assess: the second lost the begin write to the first and drove the same attempt again: it found
    // the first's charge (recorded, or at the gateway), or deferred while it was in flight.
    expect(first).toEqual({ status: 'fulfilled', value: { result: 'approved', transactionId: chargeId } });
    if (second.status === 'fulfilled') {
      expect(second.value).toEqual({ result: 'approved', transactionId: chargeId });
    } else {
      expect(second.reason).toBeInstanceOf(ChargeDeferredError);
      expect(second.reason).toMatchObject({ reason: 'outcome_unknown' });
    }
    expect(redelivered).toEqual({ result: 'skipped', reason: 'stale' });
    // At most a search besides the one sale: the duplicate never sends.
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(
      ports.fakeGateway.calls.every((call) => ['tokenSale', 'searchTransactions'].includes(call.operation)),
    ).toBe(true);
    expect((await storedSubscription(ports)).nextChargeAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('replays a charge recorded before the subscription was advanced, and advances it once', async () => {
    // Prepare: the charge is recorded, then the write that advances the subscription fails.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);
    const transition = ports.billing.transition.bind(ports.billing);
    ports.billing.transition = jest.fn().mockRejectedValueOnce(new Error('DynamoDB throttled'));
    await expect(chargeSubscription(ports, message)).rejects.toThrow('DynamoDB throttled');
    ports.billing.transition = transition;

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls.map((call) => call.operation)).toEqual(['tokenSale']);
    expect(await storedSubscription(ports)).toMatchObject({
      periodStart: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
    });
    expect(ports.billing.transitions).toBe(1);
  });

  it('after a failure to record a charge the gateway made, defers it, then resolves it by invoice and never charges twice', async () => {
    // Prepare: the gateway approves, then writing its answer throws.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);
    failNextTransactionWrite(ports, 'settle');
    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({
      name: 'ChargeDeferredError',
      reason: 'outcome_unknown',
    });
    expect(recordedCharges(ports)).toEqual([expect.objectContaining({ id: chargeId, status: 'pending' })]);

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls).toEqual([
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: chargeId }) },
      { operation: 'searchTransactions', request: { invoice: chargeId } },
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'approved', subscriptionId: 'sub_1' }),
    ]);
    expect((await storedSubscription(ports)).periodStart).toBe('2027-01-01T00:00:00.000Z');
  });

  it('after the worker died between the charge and its record, the next delivery resolves it without charging', async () => {
    // Prepare: the write after the gateway's approval never returns (the Lambda is gone).
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);
    failNextTransactionWrite(ports, 'settle', { when: 'hang' });
    void chargeSubscription(ports, message);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);

    // Act: SQS delivers it again after the visibility timeout.
    ports.advance(60_000);
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls.map((call) => call.operation)).toEqual([
      'tokenSale',
      'searchTransactions',
    ]);
    expect(recordedCharges(ports)).toEqual([expect.objectContaining({ id: chargeId, status: 'approved' })]);
    expect((await storedSubscription(ports)).periodStart).toBe('2027-01-01T00:00:00.000Z');
  });

  it('defers a charge whose outcome is unknown, then finds it at the gateway instead of charging again', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(timeoutAfterCharging());
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);

    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({ reason: 'outcome_unknown' });
    expect(await storedSubscription(ports)).toMatchObject({ status: 'active', failedAttempts: 0 });
    const result = await chargeSubscription(ports, message);

    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(recordedCharges(ports)).toEqual([expect.objectContaining({ id: chargeId, status: 'approved' })]);
  });

  it('after a 5xx, looks the charge up under its own invoice before anything else, and never starts a new invoice for the period', async () => {
    // Prepare: Clearent charged, then answered 500.
    const ports = await preparedPorts();
    ports.fakeGateway.script(serverErrorAfterCharging(500));
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);
    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({ reason: 'outcome_unknown' });
    const afterFailure = await storedSubscription(ports);

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(afterFailure).toMatchObject({ status: 'active', failedAttempts: 0 });
    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls).toEqual([
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: chargeId }) },
      { operation: 'searchTransactions', request: { invoice: chargeId } },
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({
        id: chargeId,
        status: 'approved',
        gateway: expect.objectContaining({ transactionId: ports.fakeGateway.ledger[0]?.transactionId }),
      }),
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      periodStart: '2027-01-01T00:00:00.000Z',
      lastTransactionId: chargeId,
    });
  });

  it('does not count an unreachable gateway as a decline, and sends the same attempt again under the same invoice', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(notReached());
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);

    const failure = await chargeSubscription(ports, message).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ChargeDeferredError);
    expect(failure).toMatchObject({ reason: 'gateway_failed' });
    expect(await storedSubscription(ports)).toMatchObject({ status: 'active', failedAttempts: 0 });
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'failed', failureCode: 'gateway_unavailable' }),
    ]);
    const result = await chargeSubscription(ports, message);

    expect(result).toEqual({ result: 'approved', transactionId: chargeId });
    expect(ports.fakeGateway.calls).toEqual([
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: chargeId }) },
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: chargeId }) },
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'approved', sendCount: 2 }),
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      periodStart: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
    });
  });

  it('counts a request the gateway rejects (400, no transaction) as a failed attempt on the dunning schedule, so that it ends', async () => {
    // Prepare
    const ports = await preparedPorts();
    const rejected = () =>
      new GatewayInvalidRequestError('Clearent rejected the request (HTTP 400)', { httpStatus: 400 });
    ports.fakeGateway.script(rejected(), rejected(), rejected(), rejected());
    const firstId = await currentChargeId(ports);

    // Act: the first attempt, its redelivery, then each retry when it is due.
    const first = await deliverDue(ports);
    const afterFirst = await storedSubscription(ports);
    const redelivered = await chargeSubscription(ports, { ...(await dueMessage(ports)), attempt: 0 });
    const retries = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) retries.push(await deliverDue(ports));

    // Assess
    expect(first).toEqual({
      result: 'declined',
      reason: 'card_declined',
      status: 'past_due',
      transactionId: firstId,
    });
    expect(afterFirst).toMatchObject({
      status: 'past_due',
      failedAttempts: 1,
      nextChargeAt: '2026-12-02T00:00:00.000Z',
      lastTransactionId: firstId,
      lastFailure: {
        code: 'gateway_error',
        declineCode: null,
        message: expect.stringContaining('rejected'),
        transactionId: firstId,
        at: '2026-12-01T00:05:00.000Z',
      },
    });
    expect(redelivered).toEqual({ result: 'skipped', reason: 'stale' });
    expect(retries.map((r) => r.result === 'declined' && r.status)).toEqual([
      'past_due',
      'past_due',
      'unpaid',
    ]);
    expect(ports.fakeGateway.count('tokenSale')).toBe(4);
    const invoices = ports.fakeGateway.requests('tokenSale').map((request) => request.invoice);
    expect(new Set(invoices).size).toBe(4);
    expect(recordedCharges(ports).map((t) => [t.status, t.failureCode, t.response?.statusCode])).toEqual(
      Array.from({ length: 4 }, () => ['failed', 'gateway_rejected_request', 502]),
    );
    expect(await storedSubscription(ports)).toMatchObject({ status: 'unpaid', failedAttempts: 4 });
    expect(await deliverDue(ports)).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(4);
  });
});
