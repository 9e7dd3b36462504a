/**
 * Time in the money-movement tests (docs/money-movement.md): the settle window a pending sale or refund
 * waits before it may be sent again, the `Retry-After` that says how long is left, and a simulator
 * clock a test moves by hand, so that what the gateway does "later" happens exactly when the test says.
 */
import type { ApiResponse, TestApi } from './api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `Retry-After` header in whole seconds; fails the test when it is absent or not a whole number. */
export function retryAfterSeconds(response: ApiResponse): number {
  const header = response.headers['retry-after'];
  if (typeof header !== 'string' || !/^\d+$/.test(header)) {
    throw new Error(`expected a Retry-After of whole seconds, got ${JSON.stringify(header)}`);
  }
  return Number(header);
}

/**
 * The `Retry-After` a pending answer must carry when it was answered between `from` and `to` (ms):
 * the whole seconds left of the settle window, at least 1, as seen at some moment of that span.
 */
export function expectedRetryAfter(
  lastSentAt: string,
  settleSeconds: number,
  span: { from: number; to: number },
): { min: number; max: number } {
  const settledAt = Date.parse(lastSentAt) + settleSeconds * 1000;
  const left = (at: number) => Math.max(1, Math.ceil((settledAt - at) / 1000));
  return { min: left(span.to), max: left(span.from) };
}

/** Expects the pending answer's `Retry-After` to be the seconds left of the settle window (see above). */
export function expectRetryAfter(
  response: ApiResponse,
  lastSentAt: string,
  settleSeconds: number,
  span: { from: number; to: number },
): void {
  const { min, max } = expectedRetryAfter(lastSentAt, settleSeconds, span);
  const seconds = retryAfterSeconds(response);
  expect(seconds).toBeGreaterThanOrEqual(min);
  expect(seconds).toBeLessThanOrEqual(max);
}

/** Runs `call` and says when it started and ended, for `expectRetryAfter`. */
export async function timed<T>(call: () => Promise<T>): Promise<{ result: T; from: number; to: number }> {
  const from = Date.now();
  const result = await call();
  return { result, from, to: Date.now() };
}

/** The stored transaction's `lastSentAt`; fails when it is not stored or was never sent. */
export async function lastSentAt(
  api: TestApi,
  transactionId: string,
  storefrontId = 'shopA',
): Promise<string> {
  const stored = await api.store.transactions.get(storefrontId, transactionId);
  if (!stored?.lastSentAt) throw new Error(`transaction ${transactionId} has no lastSentAt`);
  return stored.lastSentAt;
}

/** Waits until the settle window of the transaction's last send has passed (a little after). */
export async function waitOutSettleWindow(
  api: TestApi,
  transactionId: string,
  settleSeconds: number,
): Promise<void> {
  const settledAt = Date.parse(await lastSentAt(api, transactionId)) + settleSeconds * 1000;
  await sleep(Math.max(0, settledAt - Date.now()) + 50);
}

/** Waits for something the API or the simulator does asynchronously, without guessing how long it takes. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/**
 * A clock for the simulator (`startApi({ sandbox: { now: clock.now } })`) that runs with real time and
 * jumps when told: give a fault a delay no test lasts (a minute), and jump over it to make it happen.
 */
export interface MovableClock {
  now(): Date;
  /** Moves the clock on by `ms`. */
  advance(ms: number): void;
}

/** Starts at the real time and runs with it, plus whatever `advance` added. */
export function movableClock(): MovableClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}
