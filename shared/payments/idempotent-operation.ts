/**
 * Idempotency for every POST: one mechanism, following the contract.
 *
 * Built on the design of Powertools Idempotency (a conditional put of an in-progress record, a lock that
 * expires with the Lambda's timeout, a payload hash to catch a reused key), but not on its code, because
 * the contract needs what it cannot express: keys scoped to a storefront and a route; a sale whose outcome
 * is unknown is not replayed but driven again by the money engine (docs/money-movement.md), under the
 * same transaction id (our `invoice` at Clearent); a key never expires while its transaction is pending;
 * and a transaction's answer is stored on the transaction itself (in the write that settles it), not
 * written to the key a second time.
 */
import { errorResponse } from '../http/error-response';
import { ApiError, IdempotencyInProgressError, IdempotencyMismatchError } from '../http/errors';
import { logger } from '../observability/logger';
import { secondsUntilSettled } from './engine/resolve';
import type { IdempotencyRecord, PaymentsPorts, TransactionRepository } from './ports';
import { isSettled, type StoredResponse, type Transaction } from './transaction';
import { transactionResponse } from './transaction-response';

export interface IdempotentRequest {
  storefrontId: string;
  key: string;
  /** e.g. "POST /v1/sales/jwt": the same key on another route is a mismatch. */
  route: string;
  requestHash: string;
  idPrefix: 'txn' | 'sub' | 'we';
}

/** A transaction (its answer follows from its status) or an answer that is not a transaction. */
export type Outcome = { transaction: Transaction } | { response: StoredResponse };

export interface AttemptContext {
  /** The Idempotency-Key: kept on what the request creates, so that whoever settles it can expire the key. */
  key: string;
  /** A later attempt under the key (the first died, or left its transaction unsettled). */
  resumed: boolean;
}

export interface IdempotentOperation {
  /** Does (or finishes) the work for `resourceId`, the id every attempt under this key shares. */
  run(resourceId: string, context: AttemptContext): Promise<Outcome>;
}

export interface IdempotentResponse extends StoredResponse {
  replayed: boolean;
  /** The id of what the key created (a transaction or subscription), so a caller can read it back. */
  resourceId: string;
}

/**
 * What the mechanism uses. `transactions` only for the routes whose resource is a transaction (`txn`),
 * which keeps its own answer (written with its settle); subscriptions and endpoints keep theirs on the
 * key, so their functions need not bundle the transaction store.
 */
export type IdempotencyPorts = Pick<PaymentsPorts, 'idempotency' | 'clock' | 'ids' | 'timing'> & {
  transactions?: Pick<TransactionRepository, 'get'>;
};
type Ports = IdempotencyPorts;

export async function runIdempotent(
  ports: Ports,
  request: IdempotentRequest,
  operation: IdempotentOperation,
): Promise<IdempotentResponse> {
  const now = ports.clock.now().getTime();
  const record: IdempotencyRecord = {
    storefrontId: request.storefrontId,
    key: request.key,
    route: request.route,
    requestHash: request.requestHash,
    resourceId: ports.ids.next(request.idPrefix),
    state: 'locked',
    lockedUntil: now + ports.timing.lockMs,
  };
  const existing = await ports.idempotency.claim(record);
  if (!existing) return attempt(ports, record, operation, false);

  if (existing.route !== request.route || existing.requestHash !== request.requestHash) {
    throw new IdempotencyMismatchError();
  }
  const replay = { replayed: true, resourceId: existing.resourceId };
  if (existing.response) return { ...existing.response, ...replay };
  if (request.idPrefix === 'txn') {
    if (!ports.transactions)
      throw new Error('a transaction route runs idempotently with the transaction store');
    const transaction = await ports.transactions.get(request.storefrontId, existing.resourceId);
    if (transaction?.response) return { ...transaction.response, ...replay };
  }

  const lockHeld = existing.state === 'locked' && existing.lockedUntil > now;
  const takenOver: IdempotencyRecord = {
    ...existing,
    state: 'locked',
    lockedUntil: now + ports.timing.lockMs,
  };
  if (lockHeld || !(await ports.idempotency.takeOver(existing, takenOver.lockedUntil))) {
    const waitMs = lockHeld ? existing.lockedUntil - now : 1000;
    throw new IdempotencyInProgressError(Math.max(1, Math.ceil(waitMs / 1000)));
  }
  return attempt(ports, takenOver, operation, true);
}

async function attempt(
  ports: Ports,
  record: IdempotencyRecord,
  operation: IdempotentOperation,
  resumed: boolean,
): Promise<IdempotentResponse> {
  const fresh = { replayed: false, resourceId: record.resourceId };
  let outcome: Outcome;
  try {
    outcome = await operation.run(record.resourceId, { key: record.key, resumed });
  } catch (error) {
    if (error instanceof ApiError) {
      // Refused before anything reached the gateway (unknown card, nothing left to refund): a real answer.
      const response = errorResponse(error);
      await ports.idempotency.complete(record, response);
      return { ...response, ...fresh };
    }
    // A fault of ours: free the key so a retry resumes; keep it while anything may be unresolved.
    await ports.idempotency.release(record, false).catch(() => undefined);
    throw error;
  }
  if ('response' in outcome) {
    await ports.idempotency.complete(record, outcome.response);
    return { ...outcome.response, ...fresh };
  }
  const { transaction } = outcome;
  if (isSettled(transaction) && transaction.response) {
    // A first attempt's record still has the expiry it was claimed with; a resumed one gets it back.
    if (resumed) await release(ports, record, true);
    return { ...transaction.response, ...fresh };
  }
  // Pending, or known not charged: not an answer to replay. The next attempt with this key drives the
  // transaction again; a pending one keeps its key until it is resolved.
  await release(ports, record, transaction.status !== 'pending');
  const response = transactionResponse(transaction);
  if (transaction.status !== 'pending') return { ...response, ...fresh };
  const retryAfter = secondsUntilSettled(transaction, ports.clock.now(), ports.timing.settleWindowMs);
  return { ...response, headers: { 'retry-after': String(retryAfter) }, ...fresh };
}

/** The answer is already decided: a failed release only delays a retry until the lock expires. */
async function release(ports: Ports, record: IdempotencyRecord, expire: boolean): Promise<void> {
  try {
    await ports.idempotency.release(record, expire);
  } catch (error) {
    logger.warn('could not release an idempotency key; a retry waits for its lock to expire', { error });
  }
}
