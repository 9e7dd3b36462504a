/**
 * What the model's runs went through, counted over all runs (`MODEL_STATS=1` prints it): evidence that
 * the schedules reach the states the promise is about (unknown outcomes, resends, duplicates...).
 */
import type { Transaction } from '../../shared/payments/transaction';
import type { World } from './world';

export type Tally = Map<string, number>;

const add = (tally: Tally, name: string, count = 1) => tally.set(name, (tally.get(name) ?? 0) + count);

export function countRun(
  tally: Tally,
  world: World,
  stored: readonly Transaction[],
  pendingBeforeHeal: number,
) {
  add(tally, 'runs');
  add(tally, 'pending before the final reconciliation', pendingBeforeHeal);
  add(tally, 'requests that may move money, sent', world.sent.length);
  for (const transaction of stored) {
    const status = transaction.failureCode
      ? `${transaction.status} ${transaction.failureCode}`
      : transaction.status;
    add(tally, `${transaction.type} ${status}`);
    if ((transaction.sendCount ?? 0) > 1) add(tally, `${transaction.type} sent more than once`);
    if (transaction.gateway?.resultCode === 'duplicate') add(tally, 'declined as a duplicate answer');
    if (transaction.cardSaveFailed) add(tally, 'approved, card not saved (recovered by search)');
    add(tally, 'extra approvals reversed', transaction.reversedDuplicates?.length ?? 0);
  }
}

export function printTally(tally: Tally): string {
  return [...tally.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${String(count).padStart(8)}  ${name}`)
    .join('\n');
}
