/**
 * The time budget: every timeout and waiting period that must fit with the others, in one place. The
 * CDK stack deploys these numbers (function timeouts and environment), `shared/config.ts` uses them as
 * defaults, and `test/infra/constructs/functions.test.ts` checks the relations below on the synthesized
 * template, for every function that calls Clearent.
 *
 * What one request may do at the gateway (`maxGatewayCallsPerRequest`): up to `lookupAttempts` searches
 * for an earlier attempt, one sale or refund, and one resend of it after a Clearent 401 made us read the
 * storefront's secret again. A resend after a stale kept-alive socket fails in milliseconds, not after a
 * timeout, so it is not counted.
 *
 * The relations (all checked by `timeBudgetViolations`, when the stack is synthesized (infra/timeouts.ts)
 * and by test/shared/time-budget.test.ts; not at every cold start, for constants):
 * 1. maxCalls × gatewayCallTimeout + lookup backoff + awsCallsMargin < API function timeout:
 *    the function answers (504 pending) before Lambda kills it, also when every call times out.
 * 2. API function timeout ≤ 29 s − apiGatewayMargin: API Gateway gives up at 29 s, and a cold start's
 *    init runs before the timeout starts counting.
 * 3. idempotency lock = function timeout + lockMargin > function timeout: a locked key whose holder
 *    crashed answers 409 only until its holder is surely dead, and never while it may still send.
 * 4. settle window > gateway call timeout: a sale our client gave up on has surely reached the gateway
 *    (and, by Clearent's observed search delay, its search) before "not found" may mean "not charged".
 * 5. The same request budget (relation 1) fits in the recurring worker's and the reconciliation
 *    function's timeouts; the reconciliation timeout stays under its schedule's interval (checked by the
 *    stack), so with one reserved instance a run never meets the previous one still running.
 */

/** Per HTTP call to Clearent (connect to last byte). Clearent answers a sale in 1-3 s when healthy. */
export const gatewayCallTimeoutMs = 5_000;

/** Attempts of a call that cannot charge (a search, a token read) before it is reported unavailable. */
export const lookupAttempts = 2;

/** Pause before lookup attempt n + 1 is `lookupBackoffMs × n` (linear, as `shared/clearent/calls.ts`). */
export const lookupBackoffMs = 100;

/** Everything one request's lookups may spend pausing: 100 ms for two attempts. */
export function totalLookupBackoffMs(attempts: number): number {
  return (lookupBackoffMs * (attempts - 1) * attempts) / 2;
}

/** Lookups, one sale or refund, and one resend after a 401 (see the module comment). */
export function maxGatewayCalls(attempts: number): number {
  return attempts + 2;
}

export const maxGatewayCallsPerRequest = maxGatewayCalls(lookupAttempts);

/**
 * Time reserved for everything else a request does: its DynamoDB reads and conditional writes, and up to
 * two Secrets Manager reads (the cached one and the re-read after a 401).
 */
export const awsCallsMarginMs = 3_000;

/** The longest one request's work may take if every gateway call times out: 23.1 s. */
export function requestBudgetMs(timeoutMs: number, attempts: number): number {
  return maxGatewayCalls(attempts) * timeoutMs + totalLookupBackoffMs(attempts) + awsCallsMarginMs;
}

export const gatewayRequestBudgetMs = requestBudgetMs(gatewayCallTimeoutMs, lookupAttempts);

/** API Gateway's integration timeout (REST and HTTP APIs alike answer 503/504 after it). */
export const apiGatewayLimitSeconds = 29;

/** Kept free under API Gateway's limit for a cold start's init and API Gateway's own hops. */
export const apiGatewayMarginSeconds = 3;

/** Whole seconds strictly above the request budget (Lambda timeouts are whole seconds): 24 s. */
export const apiFunctionTimeoutSeconds = Math.floor(gatewayRequestBudgetMs / 1000) + 1;

/** API functions that never call Clearent: DynamoDB reads and writes only. */
export const apiReaderTimeoutSeconds = 15;

/** One GetItem of the presented key's hash. */
export const authorizerTimeoutSeconds = 5;

/** Reads nothing. */
export const healthTimeoutSeconds = 3;

/** Queues a run's due subscriptions; it stops reading early and leaves the rest due for the next run. */
export const recurringSelectorTimeoutSeconds = 60;

/**
 * A batch's ten charges run in parallel (Powertools' BatchProcessor), each within one request's budget;
 * the rest absorbs DynamoDB throttling retries. The charge queue's visibility timeout is derived from it.
 */
export const recurringWorkerTimeoutSeconds = 120;

/**
 * Resolves pending attempts one request budget at a time, stopping when less than that is left; under
 * the default 5-minute schedule with room to spare, so that runs never overlap.
 */
export const reconciliationTimeoutSeconds = 180;

/**
 * Added to a function's timeout to make its idempotency lock: `lockedUntil` is written with one host's
 * clock and read with another's, and the claim lands a little after the holder's clock read `now`.
 */
export const lockMarginMs = 5_000;

/** The lock a function takes on an idempotency key: it outlives the function by `lockMarginMs`. */
export function idempotencyLockMsFor(functionTimeoutSeconds: number): number {
  return functionTimeoutSeconds * 1000 + lockMarginMs;
}

/** The API functions' lock: 29 s (it was a fixed 60 s). */
export const idempotencyLockMs = idempotencyLockMsFor(apiFunctionTimeoutSeconds);

/**
 * How long after an attempt was last sent a search that finds nothing means "not charged" and the
 * attempt may be sent again (contract: `GATEWAY_SETTLE_SECONDS`, default 120).
 */
export const gatewaySettleSeconds = 120;

export interface TimeBudget {
  gatewayCallTimeoutMs: number;
  lookupAttempts: number;
  apiFunctionTimeoutSeconds: number;
  gatewayCallerTimeoutsSeconds: readonly number[];
  idempotencyLockMs: number;
  gatewaySettleSeconds: number;
}

/** This module's numbers, as `timeBudgetViolations` checks them. */
export const timeBudget: TimeBudget = {
  gatewayCallTimeoutMs,
  lookupAttempts,
  apiFunctionTimeoutSeconds,
  gatewayCallerTimeoutsSeconds: [
    apiFunctionTimeoutSeconds,
    recurringWorkerTimeoutSeconds,
    reconciliationTimeoutSeconds,
  ],
  idempotencyLockMs,
  gatewaySettleSeconds,
};

/** The relations of the module comment that `budget` breaks, as sentences; empty when it is sound. */
export function timeBudgetViolations(budget: TimeBudget): string[] {
  const violations: string[] = [];
  const needed = requestBudgetMs(budget.gatewayCallTimeoutMs, budget.lookupAttempts);
  for (const seconds of budget.gatewayCallerTimeoutsSeconds) {
    if (needed >= seconds * 1000) {
      violations.push(
        `a request's gateway calls (${needed} ms) do not fit in a ${seconds} s function timeout`,
      );
    }
  }
  if (budget.apiFunctionTimeoutSeconds > apiGatewayLimitSeconds - apiGatewayMarginSeconds) {
    violations.push(
      `the API function timeout (${budget.apiFunctionTimeoutSeconds} s) leaves less than ` +
        `${apiGatewayMarginSeconds} s under API Gateway's ${apiGatewayLimitSeconds} s`,
    );
  }
  if (budget.idempotencyLockMs <= budget.apiFunctionTimeoutSeconds * 1000) {
    violations.push(
      `the idempotency lock (${budget.idempotencyLockMs} ms) does not outlive the API function timeout`,
    );
  }
  if (budget.gatewaySettleSeconds * 1000 <= budget.gatewayCallTimeoutMs) {
    violations.push(
      `the settle window (${budget.gatewaySettleSeconds} s) is not longer than a gateway call may take`,
    );
  }
  return violations;
}
