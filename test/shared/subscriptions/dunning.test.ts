import {
  afterApproval,
  afterDecline,
  defaultDunningPolicy,
  isHardDecline,
} from '../../../shared/subscriptions/dunning';
import { refusalFailure } from '../../../shared/subscriptions/failure';
import { applyChargeState, type Subscription } from '../../../shared/subscriptions/subscription';
import { declineFailure, testSubscription } from '../../support/subscription-fixtures';

const subscription = testSubscription({
  anchorDay: 31,
  periodStart: '2027-01-31T00:00:00.000Z',
  nextChargeAt: '2027-01-31T00:00:00.000Z',
  createdAt: '2027-01-20T00:00:00.000Z',
});

describe('Function: afterApproval', () => {
  it('moves to the next period from the period start, clamped to the month end, and resets the attempts', () => {
    const next = afterApproval(
      { ...subscription, status: 'past_due', failedAttempts: 2, nextChargeAt: '2027-02-03T00:00:00.000Z' },
      'txn_1',
    );

    expect(next).toEqual({
      status: 'active',
      periodStart: '2027-02-28T00:00:00.000Z',
      nextChargeAt: '2027-02-28T00:00:00.000Z',
      failedAttempts: 0,
      lastTransactionId: 'txn_1',
    });
  });

  it('clears the last failure and the fresh count once applied: the new period starts clean', () => {
    const retried: Subscription = {
      ...subscription,
      status: 'past_due',
      failedAttempts: 1,
      attemptsBefore: 3,
      retriesFrom: '2027-02-10T15:30:00.000Z',
      lastFailure: refusalFailure('card_removed', new Date('2027-02-01T00:00:00.000Z')),
    };

    const approved = applyChargeState(retried, afterApproval(retried, 'txn_2'));

    expect(approved).toEqual({
      ...subscription,
      periodStart: '2027-02-28T00:00:00.000Z',
      nextChargeAt: '2027-02-28T00:00:00.000Z',
      lastTransactionId: 'txn_2',
    });
  });
});

describe('Function: afterDecline', () => {
  it('walks the default schedule: day 1, 3, 5 of the period, then unpaid', () => {
    let current = subscription;
    const steps: [string, number, string][] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const failure = declineFailure(`txn_${attempt}`);
      current = applyChargeState(
        current,
        afterDecline(current, defaultDunningPolicy, { hard: false, failure }),
      );
      steps.push([current.status, current.failedAttempts, current.nextChargeAt.slice(0, 10)]);
    }

    expect(steps).toEqual([
      ['past_due', 1, '2027-02-01'],
      ['past_due', 2, '2027-02-03'],
      ['past_due', 3, '2027-02-05'],
      ['unpaid', 4, '2027-02-05'],
    ]);
    expect(current.periodStart).toBe(subscription.periodStart);
  });

  it('gives up at once on a hard decline, keeping the failure and its transaction', () => {
    expect(
      afterDecline(subscription, defaultDunningPolicy, { hard: true, failure: declineFailure('txn_9') }),
    ).toEqual({
      status: 'unpaid',
      periodStart: subscription.periodStart,
      nextChargeAt: subscription.nextChargeAt,
      failedAttempts: 1,
      lastTransactionId: 'txn_9',
      lastFailure: declineFailure('txn_9'),
    });
  });

  it('keeps the last transaction when the charge was refused before the gateway', () => {
    const failure = refusalFailure('card_removed', new Date('2027-01-31T00:05:00.000Z'));

    const next = afterDecline({ ...subscription, lastTransactionId: 'txn_prev' }, defaultDunningPolicy, {
      hard: true,
      failure,
    });

    expect(next).toMatchObject({ status: 'unpaid', lastTransactionId: 'txn_prev', lastFailure: failure });
    expect(failure).toEqual({
      code: 'card_removed',
      declineCode: null,
      message: expect.stringContaining('new card'),
      transactionId: null,
      at: '2027-01-31T00:05:00.000Z',
    });
  });

  it('gives up at once when the schedule has no retries left', () => {
    const failure = declineFailure('txn_1');
    expect(afterDecline(subscription, { retryDays: [] }, { hard: false, failure }).status).toBe('unpaid');
  });

  it('schedules retries from when failures were counted afresh, keeping the attempts before', () => {
    const afresh: Subscription = {
      ...subscription,
      status: 'past_due',
      failedAttempts: 0,
      attemptsBefore: 2,
      retriesFrom: '2027-02-10T15:30:00.000Z',
      nextChargeAt: '2027-02-10T15:30:00.000Z',
    };

    const next = afterDecline(afresh, defaultDunningPolicy, {
      hard: false,
      failure: declineFailure('txn_2'),
    });

    expect(next).toMatchObject({
      status: 'past_due',
      failedAttempts: 1,
      attemptsBefore: 2,
      retriesFrom: '2027-02-10T15:30:00.000Z',
      nextChargeAt: '2027-02-11T15:30:00.000Z',
    });
  });
});

describe('Function: isHardDecline', () => {
  it.each([
    ['003', true],
    ['004', true],
    ['009', true],
    ['010', true],
    ['015', true],
    ['012', false],
    ['023', false],
    ['031', false],
    [undefined, false],
  ])('%s → %s', (code, hard) => {
    expect(isHardDecline(code)).toBe(hard);
  });
});
