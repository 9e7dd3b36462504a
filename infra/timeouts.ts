/**
 * Each function's timeout, from the time budget (`shared/time-budget.ts`, which explains how the numbers
 * fit together). Read by the stack for the functions' `Timeout` and for their idempotency lock.
 */
import * as budget from '../shared/time-budget';
import type { FunctionName } from './routes';

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
};
