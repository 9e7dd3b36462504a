/**
 * What each function does, in one place: the stack turns this map into one customer-managed policy per
 * function (infra/constructs/function-policy.ts) and grants nothing else (besides its own log group and
 * X-Ray). Each entry is what the function's code paths (functions/<name>/handler.ts and the shared code
 * they call) really do, checked against the synthesized template by test/infra/permissions.test.ts.
 */
import { partitionPrefixes } from '../shared/store/keys';
import type { IndexName } from '../shared/store/table';
import { apiRoutes, type FunctionName, functionNames } from './routes';

/** DynamoDB item actions on the table. */
export type ItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

/**
 * Item actions, on every item of the table or only on items whose partition key matches one of
 * `partitionKeys` (IAM's `dynamodb:LeadingKeys`, `*` a wildcard).
 */
export interface ItemAccess {
  actions: readonly ItemAction[];
  partitionKeys?: readonly string[];
}

/** Where a Query reads: an item collection of the table itself, or an index by name. */
export type QueryTarget = 'table' | IndexName;

/** What a function may do with a queue: put messages in it, or drain it through its event source. */
export type QueueAccess = 'send' | 'consume';

export interface FunctionPermissions {
  items: readonly ItemAccess[];
  /** What it queries; nothing here, no `dynamodb:Query` at all. */
  queries: readonly QueryTarget[];
  /**
   * Takes a token from its storefront's request budget on every request (shared/http/api-handler.ts):
   * one `UpdateItem` on the storefront's rate bucket items only (partition `RATE#<storefrontId>`). Not
   * declared by hand: infra/routes.ts says which functions do (see `rateLimited` below).
   */
  storefrontRateLimit?: boolean;
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

/**
 * Items read (Get), created or replaced (Put) and changed (Update) by their keys: for the payment
 * functions, idempotency records (claimed with Put, taken over and completed with Update), transactions
 * (begun and settled with Put, a sale's refund hold with Update) and saved cards (Put).
 */
const recordsAndSettles: readonly ItemAction[] = ['GetItem', 'PutItem', 'UpdateItem'];

/** What a function declares: everything but whether it takes from its storefront's request budget. */
type Declared = Omit<FunctionPermissions, 'storefrontRateLimit'>;

const declaredPermissions: Readonly<Record<FunctionName, Declared>> = {
  // Looks up the hash of a well-formed presented key (shared/store/keys.ts `apiKeyHash`), nothing else.
  authorizer: {
    items: [{ actions: ['GetItem'], partitionKeys: [`${partitionPrefixes.apiKeyHash}*`] }],
    queries: [],
    gatewayCredentials: false,
  },
  health: { items: [], queries: [], gatewayCredentials: false },
  // A sale or refund reads and writes its own items by key: it lists nothing.
  'jwt-sale': {
    items: [{ actions: recordsAndSettles }],
    queries: [],
    gatewayCredentials: true,
  },
  'token-sale': {
    items: [{ actions: recordsAndSettles }],
    queries: [],
    gatewayCredentials: true,
  },
  refund: {
    items: [{ actions: recordsAndSettles }],
    queries: [],
    gatewayCredentials: true,
  },
  // One transaction (Get), or a timeline: the storefront's, a customer's or a subscription's.
  transactions: {
    items: [{ actions: ['GetItem'] }],
    queries: ['byStorefront', 'byCustomer', 'bySubscription'],
    gatewayCredentials: false,
    cursorSecret: true,
  },
  // GET lists a customer's cards (their item collection in the table); DELETE reads the card, removes
  // the token at Clearent, then marks the card removed (its item is kept for the record).
  cards: {
    items: [{ actions: ['GetItem', 'UpdateItem'] }],
    queries: ['table'],
    gatewayCredentials: true,
  },
  // Creating, changing and canceling subscriptions charges nothing: no gateway access. GET lists them,
  // the storefront's or a customer's.
  subscriptions: {
    items: [{ actions: recordsAndSettles }],
    queries: ['byStorefront', 'byCustomer'],
    gatewayCredentials: false,
    cursorSecret: true,
  },
  'recurring-selector': {
    items: [],
    queries: ['dueSubscriptions'],
    gatewayCredentials: false,
    recurringQueue: 'send',
  },
  // Charges one queued subscription by key (subscription, card, attempt): it lists nothing.
  'recurring-worker': {
    items: [{ actions: recordsAndSettles }],
    queries: [],
    gatewayCredentials: true,
    recurringQueue: 'consume',
  },
  // Reads the pending index, settles attempts at the gateway (Put/Update), expires their keys (Update).
  reconciliation: {
    items: [{ actions: recordsAndSettles }],
    queries: ['pendingTransactions'],
    gatewayCredentials: true,
  },
  // Reads one event (Get) or lists them: all of the storefront's, or those of one type.
  events: {
    items: [{ actions: ['GetItem'] }],
    queries: ['byStorefront', 'byCustomer'],
    gatewayCredentials: false,
    cursorSecret: true,
  },
  // POST is idempotent (Put/Update of its record) and creates the endpoint and its secret; DELETE
  // deletes both; GET lists the storefront's endpoints (their item collection in the table).
  'webhook-endpoints': {
    items: [{ actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] }],
    queries: ['table'],
    gatewayCredentials: false,
    webhookSecrets: 'manage',
  },
  // Reads the changed item's outbox (Get), lists the storefront's endpoints (their item collection),
  // records the event and its deliveries (Put), takes the entries out of the outbox (Update), asks for
  // the first attempts.
  'events-relay': {
    items: [{ actions: recordsAndSettles }],
    queries: ['table'],
    gatewayCredentials: false,
    webhookQueue: ['send'],
    tableStream: true,
  },
  // The relay's work for every due outbox and every due attempt, both found in the `work` index.
  'webhook-sweep': {
    items: [{ actions: recordsAndSettles }],
    queries: ['table', 'work'],
    gatewayCredentials: false,
    webhookQueue: ['send'],
  },
  // Reads the delivery, its endpoint and event (Get, consistent), claims and records attempts (Put),
  // marks the endpoint failing or disabled (Update); queues the next attempt. Lists nothing.
  'webhook-delivery': {
    items: [{ actions: recordsAndSettles }],
    queries: [],
    gatewayCredentials: false,
    webhookQueue: ['consume', 'send'],
    webhookSecrets: 'read',
  },
};

/**
 * The functions that take from their storefront's request budget: every one that serves a route behind
 * the authorizer, and no other. The budget is the storefront's that the authorizer names, so a function
 * without such a route has none to take from; every function with one answers through
 * shared/http/api-handler.ts, which takes the token. Reading them from infra/routes.ts keeps a new route's
 * function from being left out of the limit, or from missing the grant it needs.
 */
const rateLimited: ReadonlySet<FunctionName> = new Set(
  apiRoutes.filter((route) => route.authorized).map((route) => route.functionName),
);

export const functionPermissions: Readonly<Record<FunctionName, FunctionPermissions>> = Object.fromEntries(
  functionNames.map((name) => [
    name,
    rateLimited.has(name)
      ? { ...declaredPermissions[name], storefrontRateLimit: true }
      : declaredPermissions[name],
  ]),
) as Record<FunctionName, FunctionPermissions>;

/** What `storefrontRateLimit` grants: the one conditional update of the storefront's rate bucket. */
const rateLimitAccess: ItemAccess = {
  actions: ['UpdateItem'],
  partitionKeys: [`${partitionPrefixes.rateBucket}*`],
};

/** Every item access the function has, its rate bucket's included. */
export function itemAccessOf(permissions: FunctionPermissions): readonly ItemAccess[] {
  return permissions.storefrontRateLimit === true
    ? [...permissions.items, rateLimitAccess]
    : permissions.items;
}

/** Whether the function writes to the table, and so needs to encrypt with the table key. */
export function writesTable(permissions: FunctionPermissions): boolean {
  return itemAccessOf(permissions).some((access) => access.actions.some((action) => action !== 'GetItem'));
}

/** Whether the function reads or writes the table at all. */
export function usesTable(permissions: FunctionPermissions): boolean {
  return itemAccessOf(permissions).length > 0 || permissions.queries.length > 0;
}
