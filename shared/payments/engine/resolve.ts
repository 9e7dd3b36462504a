/**
 * Resolving an attempt whose outcome is unknown: what the gateway's search by our invoice says
 * (docs/money-movement.md, rules 2 to 5). Searching is always allowed; only a resend waits for the
 * settle window.
 */
import { GatewayError } from '../../clearent/errors';
import type { ClearentGateway, GatewayTransaction } from '../../clearent/types';
import type { Transaction } from '../transaction';
import { isOurApproval } from './answer';

export type Resolution =
  /** The gateway has it: ours is `record`; `extras` are further approvals of the same invoice. */
  | { kind: 'found'; record: GatewayTransaction; extras: GatewayTransaction[] }
  /** The gateway has no record of it (so far: see the settle window). */
  | { kind: 'absent' }
  /** The search failed or its answer cannot be read safely: nothing may be concluded. */
  | { kind: 'unknown' };

const byCreated = (a: GatewayTransaction, b: GatewayTransaction) =>
  (a.created ?? '').localeCompare(b.created ?? '');

/** Searches the gateway for the attempt's invoice and classifies what it holds. */
export async function searchAttempt(
  gateway: ClearentGateway,
  attempt: Transaction,
  kind: 'SALE' | 'REFUND',
): Promise<Resolution> {
  let found: GatewayTransaction[];
  try {
    found = await gateway.searchTransactions({ invoice: attempt.id });
  } catch (error) {
    if (error instanceof GatewayError) return { kind: 'unknown' };
    throw error;
  }
  return classify(attempt, kind, found);
}

/** Pure: what a search's results mean for the attempt. */
export function classify(
  attempt: Transaction,
  kind: 'SALE' | 'REFUND',
  found: GatewayTransaction[],
): Resolution {
  // A result whose type Clearent did not give could be our sale: nothing may be concluded from the rest.
  if (found.some((record) => record.type === undefined)) return { kind: 'unknown' };
  const ours = found.filter(
    (record) =>
      record.type?.toUpperCase() === kind && (record.invoice === undefined || record.invoice === attempt.id),
  );
  const approved = ours.filter(
    (record) => record.outcome === 'approved' && isOurApproval(attempt, record) !== false,
  );
  const [first, ...extras] = [...approved].sort(byCreated);
  if (first) return { kind: 'found', record: first, extras };
  const declined = ours.filter((record) => record.outcome === 'declined').sort(byCreated);
  const latest = declined[declined.length - 1];
  return latest ? { kind: 'found', record: latest, extras: [] } : { kind: 'absent' };
}

/** Has the settle window passed since the attempt was last sent? */
export function isPastSettleWindow(attempt: Transaction, now: Date, settleWindowMs: number): boolean {
  const lastSent = Date.parse(attempt.lastSentAt ?? attempt.createdAt);
  return now.getTime() - lastSent >= settleWindowMs;
}

/** Whole seconds until the window passes (at least 1): the `Retry-After` of a pending answer. */
export function secondsUntilSettled(attempt: Transaction, now: Date, settleWindowMs: number): number {
  const lastSent = Date.parse(attempt.lastSentAt ?? attempt.createdAt);
  return Math.max(1, Math.ceil((lastSent + settleWindowMs - now.getTime()) / 1000));
}
