import { GatewayInvalidRequestError, GatewayUnavailableError } from '../../../shared/clearent/errors';
import { LOCK_MS } from '../../../shared/payments/idempotent-operation';
import { ChargeDeferredError, chargeKey, chargeSubscription } from '../../../shared/subscriptions/worker';
import { timeoutAfterCharging } from '../../support/fake-gateway';
import {
  CARD_TOKEN,
  deliverDue,
  dueMessage,
  failNextTransactionWrite,
  preparedPorts,
  recordedCharges,
  storedSubscription,
} from './recurring-setup';

describe('Function: chargeSubscription', () => {
  it('charges the stored card once, records the charge with its subscription, and moves to the next month', async () => {
    // Prepare
    const ports = await preparedPorts();

    // Act
    const result = await deliverDue(ports);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: 'txn_000001' });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'tokenSale',
        request: expect.objectContaining({
          tokenId: CARD_TOKEN,
          expDate: '1228',
          amount: 1999,
          invoice: 'txn_000001',
          customerId: 'cus_42',
        }),
      },
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({
        id: 'txn_000001',
        status: 'approved',
        amount: 1999,
        subscriptionId: 'sub_1',
        customerId: 'cus_42',
        cardId: 'card_1',
      }),
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      periodStart: '2027-01-01T00:00:00.000Z',
      nextChargeAt: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
      lastTransactionId: 'txn_000001',
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

  it('defers a duplicate delivered while the first is charging, and then skips it: one sale', async () => {
    const ports = await preparedPorts();
    const message = await dueMessage(ports);

    const [first, second] = await Promise.allSettled([
      chargeSubscription(ports, message),
      chargeSubscription(ports, message),
    ]);
    const redelivered = await chargeSubscription(ports, message);

    expect(first).toEqual({
      status: 'fulfilled',
      value: { result: 'approved', transactionId: 'txn_000001' },
    });
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toMatchObject({
      name: 'ChargeDeferredError',
      reason: 'in_progress',
    });
    expect(redelivered).toEqual({ result: 'skipped', reason: 'stale' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect((await storedSubscription(ports)).nextChargeAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('replays a charge recorded before the subscription was advanced, and advances it once', async () => {
    // Prepare: the charge is recorded, then the write that advances the subscription fails.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const transition = ports.subscriptions.transition.bind(ports.subscriptions);
    ports.subscriptions.transition = jest.fn().mockRejectedValueOnce(new Error('DynamoDB throttled'));
    await expect(chargeSubscription(ports, message)).rejects.toThrow('DynamoDB throttled');
    ports.subscriptions.transition = transition;

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: 'txn_000001' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(await storedSubscription(ports)).toMatchObject({
      periodStart: '2027-01-01T00:00:00.000Z',
      failedAttempts: 0,
    });
    expect(ports.subscriptions.transitions).toBe(1);
  });

  it('after a failure to record a charge the gateway made, resolves it by invoice and never charges twice', async () => {
    // Prepare: the gateway approves, then writing the transaction throws.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    failNextTransactionWrite(ports);
    await expect(chargeSubscription(ports, message)).rejects.toThrow('connection reset');
    expect(recordedCharges(ports)).toHaveLength(0);

    // Act
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: 'txn_000001' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(ports.fakeGateway.calls[1]).toEqual({
      operation: 'searchTransactions',
      request: { invoice: 'txn_000001' },
    });
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ status: 'approved', subscriptionId: 'sub_1' }),
    ]);
    expect((await storedSubscription(ports)).periodStart).toBe('2027-01-01T00:00:00.000Z');
  });

  it('after the worker died between the charge and its record, the next delivery resolves it without charging', async () => {
    // Prepare: the write after the gateway's approval never returns (the Lambda is gone).
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const save = ports.transactions.save.bind(ports.transactions);
    ports.transactions.save = jest
      .fn()
      .mockReturnValueOnce(new Promise(() => {}))
      .mockImplementation(save);
    void chargeSubscription(ports, message);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);

    // Act: SQS delivers it again after the visibility timeout, once the dead attempt's lock has expired.
    ports.advance(LOCK_MS + 1);
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'approved', transactionId: 'txn_000001' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(ports.fakeGateway.count('searchTransactions')).toBe(1);
    expect((await storedSubscription(ports)).periodStart).toBe('2027-01-01T00:00:00.000Z');
  });

  it('defers a charge whose outcome is unknown, then finds it at the gateway instead of charging again', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(timeoutAfterCharging());
    const message = await dueMessage(ports);

    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({ reason: 'outcome_unknown' });
    expect(await storedSubscription(ports)).toMatchObject({ status: 'active', failedAttempts: 0 });
    const result = await chargeSubscription(ports, message);

    expect(result).toMatchObject({ result: 'approved' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(recordedCharges(ports)).toEqual([expect.objectContaining({ status: 'approved' })]);
  });

  it('does not count an unreachable gateway as a decline, and tries again as a new sale', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(new GatewayUnavailableError('Clearent answered HTTP 503'));
    const message = await dueMessage(ports);
    const firstKey = chargeKey(await storedSubscription(ports));

    const failure = await chargeSubscription(ports, message).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ChargeDeferredError);
    expect(failure).toMatchObject({ reason: 'gateway_failed' });
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      gatewayFailures: 1,
    });
    const result = await chargeSubscription(ports, message);

    expect(result).toEqual({ result: 'approved', transactionId: 'txn_000002' });
    expect(chargeKey(await storedSubscription(ports))).not.toBe(firstKey);
    expect(ports.fakeGateway.calls.map((call) => call.request)).toEqual([
      expect.objectContaining({ invoice: 'txn_000001' }),
      expect.objectContaining({ invoice: 'txn_000002' }),
    ]);
    expect(recordedCharges(ports).map((t) => t.status)).toEqual(['failed', 'approved']);
    expect(await storedSubscription(ports)).toMatchObject({
      periodStart: '2027-01-01T00:00:00.000Z',
      gatewayFailures: 0,
    });
  });

  it('counts a request the gateway rejects as a failed attempt, so that it ends', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(new GatewayInvalidRequestError('Clearent rejected the request'));

    const result = await deliverDue(ports);

    expect(result).toMatchObject({ result: 'declined', status: 'past_due' });
    expect(await storedSubscription(ports)).toMatchObject({
      failedAttempts: 1,
      nextChargeAt: '2026-12-02T00:00:00.000Z',
    });
  });
});
