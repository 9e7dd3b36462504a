/**
 * The retry schedule of webhook deliveries (contract: Webhooks): the delay before each retry after a
 * failed attempt. `WEBHOOK_RETRY_SCHEDULE` overrides it, e.g. `1s,2s` locally.
 */

export const defaultRetrySchedule = '5s,5m,30m,2h,5h,10h,14h,20h,24h';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The delays in ms, in order. @throws RangeError naming the part that is not a duration like `30m`. */
export function parseRetrySchedule(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const match = /^(\d{1,6})(ms|s|m|h|d)$/.exec(part.trim());
    if (!match) throw new RangeError(`"${part.trim()}" is not a delay like 5s, 30m or 2h`);
    return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  });
}

/** The delay before the retry that follows attempt number `attempts` (1-based); `undefined`: give up. */
export const retryDelayAfter = (schedule: readonly number[], attempts: number): number | undefined =>
  schedule[attempts - 1];
