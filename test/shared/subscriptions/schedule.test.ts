import {
  addInterval,
  type Interval,
  parseCalendarDate,
  startOfDayUtc,
} from '../../../shared/subscriptions/schedule';

const at = (iso: string) => new Date(iso);

/** The first `count` period starts from `first`, each computed from the one before (as approvals do). */
function periods(first: string, interval: Interval, intervalCount: number, count: number): string[] {
  const start = at(first);
  const starts = [start.toISOString()];
  let current = start;
  for (let index = 1; index < count; index += 1) {
    current = addInterval(current, interval, intervalCount, start.getUTCDate());
    starts.push(current.toISOString());
  }
  return starts.map((iso) => iso.slice(0, 10));
}

describe('Function: addInterval', () => {
  it('clamps a month end: Jan 31 + 1 month is Feb 28 in a common year', () => {
    expect(addInterval(at('2027-01-31T00:00:00Z'), 'month', 1, 31).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('clamps to Feb 29 in a leap year (2028)', () => {
    expect(addInterval(at('2028-01-31T00:00:00Z'), 'month', 1, 31).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('returns to the anchor day after a clamped month: Jan 31, Feb 28, Mar 31, Apr 30, May 31', () => {
    expect(periods('2027-01-31T00:00:00Z', 'month', 1, 5)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
    ]);
  });

  it('keeps the 30th through February and back', () => {
    expect(periods('2027-12-30T00:00:00Z', 'month', 1, 4)).toEqual([
      '2027-12-30',
      '2028-01-30',
      '2028-02-29',
      '2028-03-30',
    ]);
  });

  it('charges every 3 months from Nov 30, across a year end and a short February', () => {
    expect(periods('2026-11-30T00:00:00Z', 'month', 3, 4)).toEqual([
      '2026-11-30',
      '2027-02-28',
      '2027-05-30',
      '2027-08-30',
    ]);
  });

  it('moves a yearly Feb 29 subscription to Feb 28 in common years and back to Feb 29 in leap years', () => {
    expect(periods('2028-02-29T00:00:00Z', 'year', 1, 5)).toEqual([
      '2028-02-29',
      '2029-02-28',
      '2030-02-28',
      '2031-02-28',
      '2032-02-29',
    ]);
  });

  it('adds years with a count', () => {
    expect(periods('2026-11-24T00:00:00Z', 'year', 2, 3)).toEqual(['2026-11-24', '2028-11-24', '2030-11-24']);
  });

  it('adds days, across a leap day', () => {
    expect(periods('2028-02-27T00:00:00Z', 'day', 1, 4)).toEqual([
      '2028-02-27',
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(periods('2026-12-25T00:00:00Z', 'day', 10, 3)).toEqual(['2026-12-25', '2027-01-04', '2027-01-14']);
  });

  it('adds weeks, with a count, across a year end', () => {
    expect(periods('2026-12-17T00:00:00Z', 'week', 1, 3)).toEqual(['2026-12-17', '2026-12-24', '2026-12-31']);
    expect(periods('2026-12-17T00:00:00Z', 'week', 2, 3)).toEqual(['2026-12-17', '2026-12-31', '2027-01-14']);
  });

  it('keeps the time of day of the period start', () => {
    expect(addInterval(at('2027-01-31T06:30:00Z'), 'month', 1, 31).toISOString()).toBe(
      '2027-02-28T06:30:00.000Z',
    );
  });
});

describe('Function: parseCalendarDate', () => {
  it('reads a date as 00:00 UTC', () => {
    expect(parseCalendarDate('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each(['2027-02-29', '2026-13-01', '2026-04-31', '2026-00-10', '26-12-01', '2026-12-01T00:00:00Z', ''])(
    'refuses %p',
    (text) => {
      expect(parseCalendarDate(text)).toBeUndefined();
    },
  );
});

describe('Function: startOfDayUtc', () => {
  it('is 00:00 UTC of the same day', () => {
    expect(startOfDayUtc(at('2026-11-24T23:59:59.999Z')).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });
});
