/**
 * Billing-period arithmetic, in UTC. Periods start at 00:00 UTC on the subscription's anchor day; a month
 * that has no such day ends the period on its last day instead (Jan 31 + 1 month = Feb 28, or Feb 29 in a
 * leap year), and the next period returns to the anchor day (Feb 28 + 1 month = Mar 31).
 *
 * @example
 * addInterval(new Date('2027-01-31T00:00:00Z'), 'month', 1, 31); // 2027-02-28T00:00:00.000Z
 */

export const intervals = ['day', 'week', 'month', 'year'] as const;
export type Interval = (typeof intervals)[number];

/** The longest period a subscription may have, per interval: one year, as card networks expect. */
export const maxIntervalCount: Readonly<Record<Interval, number>> = {
  day: 365,
  week: 52,
  month: 12,
  year: 1,
};

const DAY_MS = 24 * 60 * 60 * 1000;

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** `months` calendar months after `from`, on `anchorDay` or the month's last day if it is shorter. */
function addMonths(from: Date, months: number, anchorDay: number): Date {
  const target = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  const day = Math.min(anchorDay, daysInMonth(target.getUTCFullYear(), target.getUTCMonth()));
  return new Date(target.getTime() + (day - 1) * DAY_MS + (from.getTime() % DAY_MS));
}

/** The start of the period after the one starting at `from`. */
export function addInterval(from: Date, interval: Interval, count: number, anchorDay: number): Date {
  switch (interval) {
    case 'day':
      return addDays(from, count);
    case 'week':
      return addDays(from, 7 * count);
    case 'month':
      return addMonths(from, count, anchorDay);
    case 'year':
      return addMonths(from, 12 * count, anchorDay);
  }
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

/** 00:00 UTC of the day `at` falls on. */
export function startOfDayUtc(at: Date): Date {
  return new Date(at.getTime() - (at.getTime() % DAY_MS));
}

/** `YYYY-MM-DD` as 00:00 UTC of that day; `undefined` when it is not a real calendar date. */
export function parseCalendarDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined;
  return new Date(Date.UTC(year, month - 1, day));
}
