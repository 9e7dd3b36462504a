/**
 * The engine: drives one money movement (a sale or a refund) towards its outcome, following
 * docs/money-movement.md. Every sale and refund goes through `drive`, whoever starts it: an API request
 * or its retry, the recurring worker, reconciliation.
 *
 * @example
 * const sale = await drive(ports, tokenSaleMovement(ports, input, 'txn_1'), 'send');
 * if (sale.status === 'pending') answer504(); // a retry, or reconciliation, resolves it
 */
import { GatewayAuthenticationError, GatewayError } from '../../clearent/errors';
import type { ClearentGateway, GatewayTransaction } from '../../clearent/types';
import { logger } from '../../observability/logger';
import type { PaymentsPorts } from '../ports';
import { isSettled, type Transaction } from '../transaction';
import { type Outcome, outcomeOfAnswer, outcomeOfFailure, withGatewayRecord } from './answer';
import { reverseDuplicates } from './duplicates';
import { isPastSettleWindow, type Resolution, searchAttempt } from './resolve';

/** The request that moves the money, for one gateway. */
export type SendRequest = (gateway: ClearentGateway) => Promise<GatewayTransaction>;

/** One sale or refund: what the engine needs to know about it, and nothing about how it is driven. */
export interface MoneyMovement {
  kind: 'SALE' | 'REFUND';
  storefrontId: string;
  /** Our transaction id: the `invoice` of every request ever sent for it. */
  id: string;
  /** The transaction of the first attempt. Throws an ApiError to refuse before anything is sent. */
  draft(): Promise<Transaction>;
  /**
   * Right before each send, and never before an earlier send is resolved: checks the preconditions
   * (throws to refuse; nothing is sent) and returns the request.
   */
  prepare(attempt: Transaction): Promise<SendRequest>;
  /** The gateway is known not to have moved money for the attempt: give back what it holds. */
  release?(attempt: Transaction): Promise<void>;
  /** Completes an approval before it is stored (the card a JWT sale created, from `tokenId`). */
  approved?(attempt: Transaction, tokenId: string | undefined): Promise<Transaction>;
}

/** `send` may send (a first attempt, or a resend once known not charged); `resolve` never sends. */
export type DriveMode = 'send' | 'resolve';

export interface DriveOptions {
  /**
   * The movement's id was just made (a fresh Idempotency-Key's): no transaction can exist, so it is not
   * read first. A wrong `true` is still safe: the begin is a create conditioned on no item.
   */
  fresh?: boolean;
  /** How many more times to start over after losing a begin to another process. */
  racesLeft?: number;
}

export type EnginePorts = Pick<PaymentsPorts, 'transactions' | 'gateway' | 'clock' | 'timing'>;

/**
 * Drives the movement: a settled transaction is returned as it is; a pending one is resolved at the
 * gateway first; then, in `send` mode, a movement known not to have moved money is (re)sent.
 * Returns the transaction as it now stands; `undefined` only in `resolve` mode when none exists.
 */
export async function drive(
  ports: EnginePorts,
  movement: MoneyMovement,
  mode: 'send',
  options?: DriveOptions,
): Promise<Transaction>;
export async function drive(
  ports: EnginePorts,
  movement: MoneyMovement,
  mode: DriveMode,
  options?: DriveOptions,
): Promise<Transaction | undefined>;
export async function drive(
  ports: EnginePorts,
  movement: MoneyMovement,
  mode: DriveMode,
  { fresh = false, racesLeft = 1 }: DriveOptions = {},
): Promise<Transaction | undefined> {
  const current = fresh ? undefined : await ports.transactions.get(movement.storefrontId, movement.id);
  if (current && isSettled(current)) return current;
  if (current?.status === 'pending') {
    const gateway = await ports.gateway(movement.storefrontId);
    const resolution = await searchAttempt(gateway, current, movement.kind);
    if (resolution.kind === 'found') {
      // The gateway has moved money: a fault of ours while recording it leaves it pending (rule 9).
      return recordFound(ports, movement, gateway, current, resolution).catch((error: unknown) =>
        stillPending(current, error),
      );
    }
    const now = ports.clock.now();
    if (resolution.kind === 'unknown' || !isPastSettleWindow(current, now, ports.timing.settleWindowMs)) {
      return current;
    }
    // Searched and not found, past the settle window: known not charged.
    if (mode === 'resolve') return markNotMoved(ports, movement, notCharged(current));
  }
  if (mode === 'resolve') return current;
  return send(ports, movement, current, racesLeft);
}

const notCharged = (attempt: Transaction): Transaction => ({
  ...attempt,
  status: 'failed',
  failureCode: 'not_charged',
});

/** Sends the movement (first attempt, or again after it is known not to have moved money). */
async function send(
  ports: EnginePorts,
  movement: MoneyMovement,
  previous: Transaction | undefined,
  racesLeft: number,
): Promise<Transaction> {
  const base = previous ?? (await movement.draft());
  // Before anything is held: a storefront whose credentials cannot be read has nothing to give back.
  const gateway = await ports.gateway(movement.storefrontId);
  let request: SendRequest;
  try {
    request = await movement.prepare(base);
  } catch (error) {
    // Refused now (card deleted, refund limit reached). An earlier send, known not to have charged, is
    // recorded as such first; if another process settled or resent it meanwhile, that is the answer.
    if (previous?.status === 'pending') {
      const after = await markNotMoved(ports, movement, notCharged(previous));
      if (after.status !== 'failed') return after;
    }
    throw error;
  }
  const attempt: Transaction = {
    ...base,
    status: 'pending',
    failureCode: undefined,
    sendCount: (previous?.sendCount ?? 0) + 1,
    lastSentAt: ports.clock.now().toISOString(),
  };
  let begun: boolean;
  try {
    begun = previous
      ? await ports.transactions.replace(attempt, previous)
      : await ports.transactions.create(attempt);
  } catch (error) {
    // Nothing was sent: what `prepare` took (a refund's hold) is given back before the fault is answered.
    await movement.release?.(attempt).catch(() => undefined);
    throw error;
  }
  if (!begun) {
    // Another process changed the attempt since we read it (it began a send, or recorded it settled or
    // not charged, giving back what it held): start over from what it wrote, once.
    if (racesLeft > 0) return drive(ports, movement, 'send', { racesLeft: racesLeft - 1 });
    return (await ports.transactions.get(movement.storefrontId, movement.id)) ?? attempt;
  }
  // The request may reach the gateway: no fault of ours may answer as if it had not (rule 9).
  return sendAndRecord(ports, movement, gateway, attempt, request).catch((error: unknown) =>
    stillPending(attempt, error),
  );
}

function stillPending(attempt: Transaction, error: unknown): Transaction {
  logger.error('fault after the gateway was reached; the transaction stays pending', {
    transactionId: attempt.id,
    error,
  });
  return attempt;
}

async function sendAndRecord(
  ports: EnginePorts,
  movement: MoneyMovement,
  gateway: ClearentGateway,
  attempt: Transaction,
  request: SendRequest,
): Promise<Transaction> {
  let sent = await sendOnce(gateway, attempt, request);
  // Clearent processed nothing; the storefront's key may have been rotated since we cached it (rule 10).
  if (sent.unauthorized) {
    gateway = await ports.gateway(movement.storefrontId, { refresh: true });
    sent = await sendOnce(gateway, attempt, request);
  }
  const { outcome } = sent;
  switch (outcome.kind) {
    case 'unknown':
      return attempt;
    case 'not-moved':
      return markNotMoved(ports, movement, outcome.transaction);
    case 'final':
      return settle(ports, movement, gateway, outcome.transaction, outcome.tokenId, []);
  }
}

async function sendOnce(
  gateway: ClearentGateway,
  attempt: Transaction,
  request: SendRequest,
): Promise<{ outcome: Outcome; unauthorized: boolean }> {
  try {
    return { outcome: outcomeOfAnswer(attempt, await request(gateway)), unauthorized: false };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return {
      outcome: outcomeOfFailure(attempt, error),
      unauthorized: error instanceof GatewayAuthenticationError,
    };
  }
}

function recordFound(
  ports: EnginePorts,
  movement: MoneyMovement,
  gateway: ClearentGateway,
  attempt: Transaction,
  found: Extract<Resolution, { kind: 'found' }>,
): Promise<Transaction> {
  const transaction = withGatewayRecord(attempt, found.record);
  return settle(ports, movement, gateway, transaction, found.record.tokenId, found.extras);
}

/** Stores a final outcome; a refusal first gives back what the attempt held. */
async function settle(
  ports: EnginePorts,
  movement: MoneyMovement,
  gateway: ClearentGateway,
  transaction: Transaction,
  tokenId: string | undefined,
  extras: readonly GatewayTransaction[],
): Promise<Transaction> {
  if (transaction.status !== 'approved') {
    await movement.release?.(transaction);
    return ports.transactions.settle(transaction);
  }
  let approved = movement.approved ? await movement.approved(transaction, tokenId) : transaction;
  if (extras.length > 0) {
    const at = ports.clock.now().toISOString();
    const reversed = await reverseDuplicates(gateway, approved, extras, at);
    approved = { ...approved, reversedDuplicates: [...(approved.reversedDuplicates ?? []), ...reversed] };
  }
  return ports.transactions.settle(approved);
}

/**
 * Records that the gateway did not move money, then gives back what the attempt held. Conditioned on
 * the attempt seen: if another process began a resend meanwhile, its attempt (and hold) stand.
 */
async function markNotMoved(
  ports: EnginePorts,
  movement: MoneyMovement,
  transaction: Transaction,
): Promise<Transaction> {
  const won = await ports.transactions.replace(transaction, {
    sendCount: transaction.sendCount,
    status: 'pending',
  });
  if (!won) return (await ports.transactions.get(movement.storefrontId, movement.id)) ?? transaction;
  await movement.release?.(transaction);
  return transaction;
}
