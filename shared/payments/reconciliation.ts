/**
 * Reconciliation (docs/money-movement.md): every pending sale and refund last sent before the settle
 * window is resolved at the gateway without waiting for the storefront. Found: recorded. Not found:
 * `failed` with `not_charged` (a refund's hold is given back, and a retry under the same key may send
 * it again). Unknown (the gateway is unreachable): left pending, counted, and its key kept.
 *
 * It reads only the sparse `pendingTransactions` index, each shard in parallel, page by page, and
 * never sends a sale or refund: the engine runs in resolve-only mode.
 *
 * @example const summary = await reconcile(liveReconciliationPorts(), new Date());
 */
import { logger } from '../observability/logger';
import { drive, type MoneyMovement } from './engine/drive';
import type { PaymentsPorts, ReconciliationPorts } from './ports';
import { saveCreatedCard } from './sale';
import { isSettled, type Transaction } from './transaction';

export interface ReconciliationOptions {
  /** Asked before each page; when it answers false the run stops and the rest waits for the next run. */
  hasTimeLeft?: () => boolean;
}

export interface ReconciliationSummary {
  /** Pending transactions last sent before this time were examined. */
  sentBefore: string;
  examined: number;
  /** Found at the gateway and recorded (approved or declined). */
  resolved: number;
  /** Not found past the settle window: recorded `failed` / `not_charged`. */
  notCharged: number;
  /** Still unknown (the gateway could not be asked): left pending for the next run. */
  unresolved: number;
  /** False when the run stopped before reading every shard to the end. */
  complete: boolean;
}

type Counts = Omit<ReconciliationSummary, 'sentBefore' | 'complete'>;

export async function reconcile(
  ports: ReconciliationPorts,
  now: Date,
  options: ReconciliationOptions = {},
): Promise<ReconciliationSummary> {
  const sentBefore = new Date(now.getTime() - ports.timing.settleWindowMs).toISOString();
  const hasTimeLeft = options.hasTimeLeft ?? (() => true);
  const counts: Counts = { examined: 0, resolved: 0, notCharged: 0, unresolved: 0 };
  const shards = Array.from({ length: ports.pending.pendingShards }, (_, shard) => shard);
  const complete = await Promise.all(
    shards.map(async (shard) => {
      let cursor: Readonly<Record<string, unknown>> | undefined;
      do {
        if (!hasTimeLeft()) return false;
        const page = await ports.pending.listPending(shard, sentBefore, cursor);
        for (const pending of page.data) await reconcileOne(ports, pending, counts);
        cursor = page.next;
      } while (cursor);
      return true;
    }),
  );
  return { sentBefore, ...counts, complete: complete.every(Boolean) };
}

async function reconcileOne(ports: PaymentsPorts, pending: Transaction, counts: Counts): Promise<void> {
  counts.examined += 1;
  let after: Transaction;
  try {
    after = (await drive(ports, storedMovement(ports, pending), 'resolve')) ?? pending;
  } catch (error) {
    // One transaction that cannot be resolved now (its storefront's credentials are gone, a store fault)
    // must not stop the rest of its shard, which it would at every run, being the oldest.
    logger.error('reconciliation could not resolve a pending transaction', {
      transactionId: pending.id,
      error,
    });
    counts.unresolved += 1;
    return;
  }
  const known = after.status !== 'pending';
  if (isSettled(after)) counts.resolved += 1;
  else if (known) counts.notCharged += 1;
  else counts.unresolved += 1;
  // The storefront's key lives on while its transaction is unresolved, and expires once it is known.
  if (after.idempotencyKey !== undefined) {
    await ports.idempotency.setExpiry(after.storefrontId, after.idempotencyKey, known);
  }
}

/** The movement of a stored transaction, for resolving only: it is never drafted nor sent again here. */
function storedMovement(ports: PaymentsPorts, transaction: Transaction): MoneyMovement {
  const neverSent = async (): Promise<never> => {
    throw new Error('reconciliation never sends');
  };
  const { saleId } = transaction;
  return {
    kind: transaction.type === 'refund' ? 'REFUND' : 'SALE',
    storefrontId: transaction.storefrontId,
    id: transaction.id,
    draft: neverSent,
    prepare: neverSent,
    approved: saveCreatedCard(ports),
    ...(saleId === undefined
      ? {}
      : {
          release: (attempt: Transaction) =>
            ports.transactions.releaseRefund({ storefrontId: attempt.storefrontId, id: saleId }, attempt.id),
        }),
  };
}
