import { chargeSubscription } from '../../../shared/subscriptions/worker';
import {
  addCard,
  addSubscription,
  currentChargeId,
  declined,
  deliverDue,
  dueMessage,
  failNextTransactionWrite,
  preparedPorts,
  recordedCharges,
  recurringPorts,
  STOREFRONT,
  storedSubscription,
} from './recurring-setup';

describe('Function: chargeSubscription, declines and dunning', () => {
  it('retries a declined period on day 1, 3 and 5, then leaves the subscription unpaid', async () => {
    // Prepare
    const ports = await preparedPorts();
    ports.fakeGateway.script(declined('023'), declined('051'), declined('012'), declined('023'));

    // Act: the first attempt and the three retries, each delivered when it is due.
    const results = [];
    const schedule = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      results.push(await deliverDue(ports));
      const subscription = await storedSubscription(ports);
      schedule.push([subscription.status, subscription.failedAttempts, subscription.nextChargeAt]);
    }

    // Assess
    expect(schedule).toEqual([
      ['past_due', 1, '2026-12-02T00:00:00.000Z'],
      ['past_due', 2, '2026-12-04T00:00:00.000Z'],
      ['past_due', 3, '2026-12-06T00:00:00.000Z'],
      ['unpaid', 4, '2026-12-06T00:00:00.000Z'],
    ]);
    expect(results.map((r) => r.result === 'declined' && r.status)).toEqual([
      'past_due',
      'past_due',
      'past_due',
      'unpaid',
    ]);
    expect((await storedSubscription(ports)).periodStart).toBe('2026-12-01T00:00:00.000Z');
    // The latest failure, with its decline code, so the storefront can tell its customer why.
    expect((await storedSubscription(ports)).lastFailure).toEqual({
      code: 'card_declined',
      declineCode: '023',
      message: 'Declined by Issuer',
      transactionId: recordedCharges(ports)[3]?.id,
      at: '2026-12-01T00:05:00.000Z',
    });
    expect(ports.fakeGateway.count('tokenSale')).toBe(4);
    expect(recordedCharges(ports).map((t) => [t.status, t.subscriptionId])).toEqual(
      Array.from({ length: 4 }, () => ['declined', 'sub_1']),
    );
    expect(await deliverDue(ports)).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(4);
  });

  it('after a declined first attempt, an approved retry moves on from the period start, not the retry', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(declined('023'));
    await deliverDue(ports);

    const result = await deliverDue(ports);

    expect(result).toMatchObject({ result: 'approved' });
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      periodStart: '2027-01-01T00:00:00.000Z',
      nextChargeAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('follows a configured dunning schedule', async () => {
    const ports = recurringPorts(undefined, { retryDays: [2] });
    await addCard(ports);
    await addSubscription(ports);
    ports.fakeGateway.script(declined('023'), declined('023'));

    await deliverDue(ports);
    const retry = await storedSubscription(ports);
    await deliverDue(ports);

    expect(retry).toMatchObject({ status: 'past_due', nextChargeAt: '2026-12-03T00:00:00.000Z' });
    expect(await storedSubscription(ports)).toMatchObject({ status: 'unpaid', failedAttempts: 2 });
  });

  it.each(['003', '004', '009', '010', '015'])(
    'does not retry a hard decline (%s): unpaid at once',
    async (code) => {
      const ports = await preparedPorts();
      ports.fakeGateway.script(declined(code));
      const chargeId = await currentChargeId(ports);

      const result = await deliverDue(ports);

      expect(result).toEqual({
        result: 'declined',
        reason: 'card_declined',
        status: 'unpaid',
        transactionId: chargeId,
      });
      expect(await storedSubscription(ports)).toMatchObject({ status: 'unpaid', failedAttempts: 1 });
      expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    },
  );

  it('does not send a sale for a card past its expiry: unpaid, with no gateway call at all', async () => {
    const ports = recurringPorts('2026-12-01T00:05:00.000Z');
    await addCard(ports, { expDate: '1126' });
    await addSubscription(ports);

    const result = await deliverDue(ports);

    expect(result).toEqual({ result: 'declined', reason: 'card_expired', status: 'unpaid' });
    expect(ports.fakeGateway.calls).toEqual([]);
    expect(recordedCharges(ports)).toEqual([]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'unpaid',
      lastFailure: { code: 'card_expired', declineCode: null, transactionId: null },
    });
  });

  it('does not send a sale for a removed card: unpaid, with no gateway call at all', async () => {
    const ports = await preparedPorts();
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-30T00:00:00.000Z');

    const result = await deliverDue(ports);

    expect(result).toEqual({ result: 'declined', reason: 'card_removed', status: 'unpaid' });
    expect(ports.fakeGateway.calls).toEqual([]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'unpaid',
      failedAttempts: 1,
      lastFailure: {
        code: 'card_removed',
        declineCode: null,
        transactionId: null,
        at: '2026-12-01T00:05:00.000Z',
      },
    });
    // No retry: it stays out of every run until a new card is set.
    expect(await deliverDue(ports)).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(ports.fakeGateway.calls).toEqual([]);
  });

  it('never charges a subscription canceled during its retries', async () => {
    const ports = await preparedPorts();
    ports.fakeGateway.script(declined('023'));
    await deliverDue(ports);
    const retry = await dueMessage(ports);

    await ports.subscriptions.cancel(STOREFRONT, 'sub_1', '2026-12-01T12:00:00.000Z');
    const result = await chargeSubscription(ports, retry);

    expect(result).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect((await storedSubscription(ports)).status).toBe('canceled');
  });

  it('records a charge the gateway made before a cancel, without charging again or reviving the subscription', async () => {
    // Prepare: the gateway approves, writing its answer fails, then the storefront cancels.
    const ports = await preparedPorts();
    const message = await dueMessage(ports);
    const chargeId = await currentChargeId(ports);
    failNextTransactionWrite(ports, 'settle');
    await expect(chargeSubscription(ports, message)).rejects.toMatchObject({ reason: 'outcome_unknown' });
    await ports.subscriptions.cancel(STOREFRONT, 'sub_1', '2026-12-01T12:00:00.000Z');

    // Act: SQS delivers the message again.
    const result = await chargeSubscription(ports, message);

    // Assess
    expect(result).toEqual({ result: 'skipped', reason: 'not_chargeable' });
    expect(ports.fakeGateway.calls).toEqual([
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: chargeId }) },
      { operation: 'searchTransactions', request: { invoice: chargeId } },
    ]);
    expect(recordedCharges(ports)).toEqual([
      expect.objectContaining({ id: chargeId, status: 'approved', subscriptionId: 'sub_1' }),
    ]);
    expect(await storedSubscription(ports)).toMatchObject({
      status: 'canceled',
      periodStart: '2026-12-01T00:00:00.000Z',
    });
  });

  it('skips a redelivered first-attempt message after a decline as stale, and sends nothing', async () => {
    // Prepare
    const ports = await preparedPorts();
    const firstAttempt = await dueMessage(ports);
    ports.fakeGateway.script(declined('051'));
    await chargeSubscription(ports, firstAttempt);
    const afterDecline = await storedSubscription(ports);

    // Act: SQS delivers the attempt-0 message again.
    const result = await chargeSubscription(ports, firstAttempt);

    // Assess
    expect(firstAttempt.attempt).toBe(0);
    expect(result).toEqual({ result: 'skipped', reason: 'stale' });
    expect(ports.fakeGateway.calls.map((call) => call.operation)).toEqual(['tokenSale']);
    expect(recordedCharges(ports)).toEqual([expect.objectContaining({ status: 'declined' })]);
    expect(await storedSubscription(ports)).toEqual(afterDecline);
    expect(afterDecline).toMatchObject({ status: 'past_due', failedAttempts: 1 });
  });

  it('skips a message for a subscription that does not exist', async () => {
    const ports = await preparedPorts();

    const result = await chargeSubscription(ports, {
      storefrontId: 'sf_other',
      subscriptionId: 'sub_1',
      periodStart: '2026-12-01T00:00:00.000Z',
      attempt: 0,
    });

    expect(result).toEqual({ result: 'skipped', reason: 'missing' });
    expect(ports.fakeGateway.calls).toEqual([]);
  });
});
