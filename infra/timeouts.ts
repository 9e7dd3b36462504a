/**
 * Each function's timeout, from the time budget (`shared/time-budget.ts`, which explains how the numbers
 * fit together). Read by the stack for the functions' `Timeout` and for their idempotency lock.
 *
 * The webhook functions never call Clearent, so the budget's relations do not involve them; their
 * timeouts are here, each with what it must hold, and `test/infra/constructs/webhooks.test.ts` checks
 * their relations on the synthesized template.
 */
import * as budget from '../shared/time-budget';
import type { FunctionName } from './routes';

// Constants only: this can fail only after an edit of shared/time-budget.ts, and then no stack is
// synthesized (and every infra test says why). The functions do not check it at each cold start.
const violations = budget.timeBudgetViolations(budget.timeBudget);
if (violations.length > 0) throw new Error(`shared/time-budget.ts is inconsistent: ${violations.join('; ')}`);

/**
 * A batch's ten attempts run in parallel, each one POST of at most 15 s (the contract's delivery
 * timeout, `WEBHOOK_TIMEOUT_MS`) plus a secret read and a few DynamoDB writes. Must stay under
 * `ATTEMPT_LEASE_MS` (60 s, shared/webhooks/deliver.ts): an attempt still running when its lease ends
 * would be claimed and sent again by the sweep. The queue's visibility timeout is derived from it.
 */
export const webhookDeliveryTimeoutSeconds = 30;

/** A batch of at most 25 changed items, each relayed with a few DynamoDB writes and one SQS batch. */
export const eventsRelayTimeoutSeconds = 30;

/**
 * One page of due outboxes and due deliveries per shard, relayed and queued in turn. Under the default
 * one-minute schedule, so that with one reserved instance a sweep never meets the previous one running.
 */
export const webhookSweepTimeoutSeconds = 50;

export const functionTimeoutSeconds: Readonly<Record<FunctionName, number>> = {
  authorizer: budget.authorizerTimeoutSeconds,
  health: budget.healthTimeoutSeconds,
  'jwt-sale': budget.apiFunctionTimeoutSeconds,
  'token-sale': budget.apiFunctionTimeoutSeconds,
  refund: budget.apiFunctionTimeoutSeconds,
  transactions: budget.apiReaderTimeoutSeconds,
  // DELETE removes the token at Clearent: a gateway call, so the gateway callers' timeout.
  cards: budget.apiFunctionTimeoutSeconds,
  subscriptions: budget.apiReaderTimeoutSeconds,
  'recurring-selector': budget.recurringSelectorTimeoutSeconds,
  'recurring-worker': budget.recurringWorkerTimeoutSeconds,
  reconciliation: budget.reconciliationTimeoutSeconds,
  events: budget.apiReaderTimeoutSeconds,
  // DynamoDB and Secrets Manager only (creating or deleting the endpoint's secret): no gateway call.
  'webhook-endpoints': budget.apiReaderTimeoutSeconds,
  'events-relay': eventsRelayTimeoutSeconds,
  'webhook-sweep': webhookSweepTimeoutSeconds,
  'webhook-delivery': webhookDeliveryTimeoutSeconds,
};
