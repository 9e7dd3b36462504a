import { parseAmount } from '../../../shared/money';
import {
  afterApproval,
  afterDecline,
  defaultDunningPolicy,
  isHardDecline,
} from '../../../shared/subscriptions/dunning';
import type { Subscription } from '../../../shared/subscriptions/subscription';

const subscription: Subscription = {
  id: 'sub_1',
  storefrontId: 'sf_a',
  status: 'active',
  customerId: 'cus_42',
  cardId: 'card_1',
  amount: parseAmount('19.99'),
  interval: 'month',
  intervalCount: 1,
  anchorDay: 31,
  periodStart: '2027-01-31T00:00:00.000Z',
  nextChargeAt: '2027-01-31T00:00:00.000Z',
  failedAttempts: 0,
  createdAt: '2027-01-20T00:00:00.000Z',
};

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
});

describe('Function: afterDecline', () => {
  it('walks the default schedule: day 1, 3, 5 of the period, then unpaid', () => {
    let current = subscription;
    const steps: [string, number, string][] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      current = { ...current, ...afterDecline(current, defaultDunningPolicy, { hard: false }) };
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

  it('gives up at once on a hard decline', () => {
    expect(
      afterDecline(subscription, defaultDunningPolicy, { hard: true, transactionId: 'txn_9' }),
    ).toMatchObject({
      status: 'unpaid',
      failedAttempts: 1,
      lastTransactionId: 'txn_9',
    });
  });

  it('gives up at once when the schedule has no retries left', () => {
    expect(afterDecline(subscription, { retryDays: [] }, { hard: false }).status).toBe('unpaid');
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
