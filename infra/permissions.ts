/**
 * What each function may do, in one place: the stack turns this map into one customer-managed policy
 * per function and grants nothing else (besides its own log group and X-Ray).
 */
import type { FunctionName } from './routes';

/** DynamoDB actions a function may take on the table; `Query` also covers every index. */
export type TableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query';

/** What a function may do with a queue: put messages in it, or drain it through its event source. */
export type QueueAccess = 'send' | 'consume';

export interface FunctionPermissions {
  table: readonly TableAction[];
  /** Reads storefronts' Clearent credentials from Secrets Manager: only functions that call the gateway. */
  gatewayCredentials: boolean;
  /** Access to the recurring charge queue: the selector fills it, the worker drains it. */
  recurringQueue?: QueueAccess;
  /**
   * Access to the webhook delivery queue: the relay and the sweep ask for attempts, the delivery
   * function drains it and asks again for the retries it schedules.
   */
  webhookQueue?: readonly QueueAccess[];
  /**
   * Webhook endpoints' signing secrets (`<prefix><storefrontId>/webhooks/<endpointId>`): `read` to sign
   * deliveries; `manage` to create one with its endpoint, show it once, and delete it with the endpoint.
   */
  webhookSecrets?: 'read' | 'manage';
  /**
   * Reads the table's stream (its event source does, with the function's role) and parks the batches
   * it could not process in the stream's failure queue: the events relay only.
   */
  tableStream?: boolean;
  /** Reads the stage's cursor-signing secret (`CURSOR_SECRET_NAME`): only functions that answer lists. */
  cursorSecret?: boolean;
}

const readOnly: readonly TableAction[] = ['GetItem', 'Query'];
/** Idempotency records and the resource they guard are created with Put and settled with Update. */
const recordsAndSettles: readonly TableAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'Query'];

export const functionPermissions: Readonly<Record<FunctionName, FunctionPermissions>> = {
  // Looks up the hash of the presented storefront key, nothing else.
  authorizer: { table: ['GetItem'], gatewayCredentials: false },
  health: { table: [], gatewayCredentials: false },
  'jwt-sale': { table: recordsAndSettles, gatewayCredentials: true },
  'token-sale': { table: recordsAndSettles, gatewayCredentials: true },
  refund: { table: recordsAndSettles, gatewayCredentials: true },
  transactions: { table: readOnly, gatewayCredentials: false, cursorSecret: true },
  // DELETE removes the token at Clearent, then marks the card removed (its item is kept for the record).
  cards: { table: ['GetItem', 'Query', 'UpdateItem'], gatewayCredentials: true },
  // Creating, changing and canceling subscriptions charges nothing: no gateway access. GET lists them.
  subscriptions: { table: recordsAndSettles, gatewayCredentials: false, cursorSecret: true },
  'recurring-selector': { table: ['Query'], gatewayCredentials: false, recurringQueue: 'send' },
  'recurring-worker': { table: recordsAndSettles, gatewayCredentials: true, recurringQueue: 'consume' },
  // Reads the pending index (Query), settles attempts at the gateway (Update/Put), expires their keys.
  reconciliation: { table: recordsAndSettles, gatewayCredentials: true },
  // Reads one event (Get) or lists them (Query on the timelines).
  events: { table: readOnly, gatewayCredentials: false, cursorSecret: true },
  // POST is idempotent (Put/Update of its record) and creates the endpoint and its secret; DELETE
  // deletes both; GET lists the storefront's endpoints (Query).
  'webhook-endpoints': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    gatewayCredentials: false,
    webhookSecrets: 'manage',
  },
  // Reads the changed item's outbox (Get), the storefront's endpoints (Query), records the event and
  // its deliveries (Put), takes the entries out of the outbox (Update), asks for the first attempts.
  'events-relay': {
    table: recordsAndSettles,
    gatewayCredentials: false,
    webhookQueue: ['send'],
    tableStream: true,
  },
  // The relay's work for every due outbox in the `work` index (Query), and every due attempt queued.
  'webhook-sweep': { table: recordsAndSettles, gatewayCredentials: false, webhookQueue: ['send'] },
  // Reads the delivery, its endpoint and event (Get, consistent), claims and records attempts (Put),
  // marks the endpoint failing or disabled (Update); queues the next attempt. Lists nothing: no Query.
  'webhook-delivery': {
    table: ['GetItem', 'PutItem', 'UpdateItem'],
    gatewayCredentials: false,
    webhookQueue: ['consume', 'send'],
    webhookSecrets: 'read',
  },
};

/** Whether the function writes to the table, and so needs to encrypt with the table key. */
export function writesTable(permissions: FunctionPermissions): boolean {
  return permissions.table.some((action) => action !== 'GetItem' && action !== 'Query');
}
