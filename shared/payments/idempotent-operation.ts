/**
 * Idempotency for every POST: one mechanism, following the contract.
 *
 * Built on the design of Powertools Idempotency (a conditional put of an in-progress record, a lock that
 * expires with the Lambda's timeout, a payload hash to catch a reused key), but not on its code, because
 * the contract needs what it cannot express: keys scoped to a storefront and a route; a sale whose outcome
 * is unknown is not replayed but resolved at the gateway on the next attempt, under the same transaction
 * id (our `invoice` at Clearent); and the first request costs one write, the answer itself being stored on
 * the transaction it produced rather than written a second time.
 */
import { errorResponse } from '../http/error-response';
import { ApiError, IdempotencyInProgressError, IdempotencyMismatchError } from '../http/errors';
import type { IdempotencyRecord, PaymentsPorts } from './ports';
import type { StoredResponse, Transaction } from './transaction';
import { transactionResponse } from './transaction-response';

/** Longer than any API function runs (25 s): a lock older than this belongs to a dead attempt. */
export const LOCK_MS = 60_000;

export interface IdempotentRequest {
  storefrontId: string;
  key: string;
  /** e.g. "POST /v1/sales/jwt": the same key on another route is a mismatch. */
  route: string;
  requestHash: string;
  idPrefix: 'txn' | 'sub';
}

/** A transaction (its answer follows from its status) or an answer that is not a transaction. */
export type Outcome = { transaction: Transaction } | { response: StoredResponse };

export interface IdempotentOperation {
  /** The first attempt under this key: nothing has been sent for `resourceId` yet. */
  start(resourceId: string): Promise<Outcome>;
  /** A later attempt after an unknown outcome or a dead attempt: resolve what happened before resending. */
  resume(resourceId: string): Promise<Outcome>;
}

export interface IdempotentResponse extends StoredResponse {
  replayed: boolean;
  /** The id of what the key created (a transaction or subscription), so a caller can read it back. */
  resourceId: string;
}

type Ports = Pick<PaymentsPorts, 'idempotency' | 'transactions' | 'clock' | 'ids'>;

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
    lockedUntil: now + LOCK_MS,
  };
  const existing = await ports.idempotency.claim(record);
  if (!existing) return settle(ports, record, () => operation.start(record.resourceId));

  if (existing.route !== request.route || existing.requestHash !== request.requestHash) {
    throw new IdempotencyMismatchError();
  }
  const replay = { replayed: true, resourceId: existing.resourceId };
  if (existing.response) return { ...existing.response, ...replay };
  const transaction = await ports.transactions.get(request.storefrontId, existing.resourceId);
  if (transaction?.response) return { ...transaction.response, ...replay };

  const lockHeld = existing.state === 'locked' && existing.lockedUntil > now;
  const takenOver: IdempotencyRecord = { ...existing, state: 'locked', lockedUntil: now + LOCK_MS };
  if (lockHeld || !(await ports.idempotency.takeOver(existing, takenOver.lockedUntil))) {
    throw new IdempotencyInProgressError();
  }
  return settle(ports, takenOver, () => operation.resume(existing.resourceId));
}

async function settle(
  ports: Ports,
  record: IdempotencyRecord,
  attempt: () => Promise<Outcome>,
): Promise<IdempotentResponse> {
  const fresh = { replayed: false, resourceId: record.resourceId };
  let outcome: Outcome;
  try {
    outcome = await attempt();
  } catch (error) {
    if (error instanceof ApiError) {
      // Refused before anything reached the gateway (unknown card, nothing left to refund): a real answer.
      const response = errorResponse(error);
      await ports.idempotency.complete(record, response);
      return { ...response, ...fresh };
    }
    // A fault of ours: free the key so a retry resumes (and looks at the gateway before resending).
    await ports.idempotency.release(record).catch(() => undefined);
    throw error;
  }
  if ('response' in outcome) {
    await ports.idempotency.complete(record, outcome.response);
    return { ...outcome.response, ...fresh };
  }
  const { transaction } = outcome;
  if (!transaction.response) {
    // Unknown outcome, or the gateway was unavailable: not an answer to replay; the next attempt with
    // this key resolves it at the gateway first.
    await ports.idempotency.release(record);
    return { ...transactionResponse(transaction), ...fresh };
  }
  return { ...transaction.response, ...fresh };
}
