/**
 * What each function may do, in one place: the stack turns this map into one customer-managed policy
 * per function and grants nothing else (besides its own log group and X-Ray).
 */
import type { FunctionName } from './routes';

/** DynamoDB actions a function may take on the table; `Query` also covers every index. */
export type TableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'Query';

export interface FunctionPermissions {
  table: readonly TableAction[];
  /** Reads storefronts' Clearent credentials from Secrets Manager: only functions that call the gateway. */
  gatewayCredentials: boolean;
  /** Access to the recurring charge queue: the selector fills it, the worker drains it. */
  recurringQueue?: 'send' | 'consume';
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
  // Creating and canceling subscriptions charges nothing: no gateway access.
  subscriptions: { table: recordsAndSettles, gatewayCredentials: false },
  'recurring-selector': { table: ['Query'], gatewayCredentials: false, recurringQueue: 'send' },
  'recurring-worker': { table: recordsAndSettles, gatewayCredentials: true, recurringQueue: 'consume' },
  // Reads the pending index (Query), settles attempts at the gateway (Update/Put), expires their keys.
  reconciliation: { table: recordsAndSettles, gatewayCredentials: true },
};

/** Whether the function writes to the table, and so needs to encrypt with the table key. */
export function writesTable(permissions: FunctionPermissions): boolean {
  return permissions.table.some((action) => action !== 'GetItem' && action !== 'Query');
}
