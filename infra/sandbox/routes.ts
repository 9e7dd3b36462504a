/** The Clearent REST v2 endpoints the simulator answers, and how each is authenticated. */
import type { GatewayHandler } from './context';
import type { SandboxOperation } from './faults';
import { FieldError, INVALID_FIELD, MISSING_FIELD, type RequestBody } from './fields';
import { issueMobileJwt } from './handlers/mobile-jwt';
import { refund, voidTransaction } from './handlers/reversals';
import { cardSale, mobileSale } from './handlers/sales';
import { searchTransactions } from './handlers/search';
import { createToken, deleteToken, getToken } from './handlers/tokens';

/** `public-key` (any non-empty value) for the browser's JWT endpoint, `api-key` for every server call. */
export type Authentication = 'api-key' | 'public-key';

interface GatewayRoute {
  method: string;
  /** Clearent's path, `{id}` marking the path parameter. */
  template: string;
  authentication: Authentication;
  operation: SandboxOperation;
  handler: GatewayHandler;
}

export interface ResolvedRoute extends GatewayRoute {
  /** `METHOD template`, e.g. `GET /rest/v2/tokens/{id}`. */
  endpoint: string;
  pathId?: string;
}

const routes: readonly GatewayRoute[] = [
  {
    method: 'POST',
    template: '/rest/v2/mobilejwt/manual',
    authentication: 'public-key',
    operation: 'issue-jwt',
    handler: issueMobileJwt,
  },
  route('POST', '/rest/v2/mobile/transactions/sale', 'mobile-sale', mobileSale),
  route('POST', '/rest/v2/transactions/sale', 'sale', cardSale),
  route('POST', '/rest/v2/transactions/refund', 'refund', refund),
  route('POST', '/rest/v2/transactions/void', 'void', voidTransaction),
  route('GET', '/rest/v2/transactions', 'search', searchTransactions),
  route('POST', '/rest/v2/tokens', 'create-token', createToken),
  route('GET', '/rest/v2/tokens/{id}', 'get-token', getToken),
  route('DELETE', '/rest/v2/tokens/{id}', 'delete-token', deleteToken),
];

/** The generic `POST /rest/v2/transactions` dispatches on the body's `type`. */
const byType: Record<string, { operation: SandboxOperation; handler: GatewayHandler }> = {
  SALE: { operation: 'sale', handler: cardSale },
  REFUND: { operation: 'refund', handler: refund },
  VOID: { operation: 'void', handler: voidTransaction },
};

const GENERIC_TRANSACTIONS = '/rest/v2/transactions';

/** The route a request is for, or `undefined` for a path Clearent would answer 404. */
export function resolveRoute(method: string, path: string, body: RequestBody): ResolvedRoute | undefined {
  if (method === 'POST' && path === GENERIC_TRANSACTIONS) {
    const type = typeof body.type === 'string' ? body.type.toUpperCase() : '';
    const dispatch = byType[type];
    return {
      method,
      template: GENERIC_TRANSACTIONS,
      endpoint: `POST ${GENERIC_TRANSACTIONS}`,
      authentication: 'api-key',
      operation: dispatch?.operation ?? 'sale',
      handler: dispatch?.handler ?? refuseUnknownType,
    };
  }
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const pathId = matchTemplate(candidate.template, path);
    if (pathId === undefined) continue;
    const resolved = { ...candidate, endpoint: `${method} ${candidate.template}` };
    return pathId === '' ? resolved : { ...resolved, pathId };
  }
  return undefined;
}

function route(
  method: string,
  template: string,
  operation: SandboxOperation,
  handler: GatewayHandler,
): GatewayRoute {
  return { method, template, authentication: 'api-key', operation, handler };
}

/** `''` for an exact match, the `{id}` value for a templated one, `undefined` for no match. */
function matchTemplate(template: string, path: string): string | undefined {
  const [prefix, suffix] = template.split('{id}');
  if (suffix === undefined) return template === path ? '' : undefined;
  if (!path.startsWith(prefix ?? '') || !path.endsWith(suffix)) return undefined;
  const id = path.slice((prefix ?? '').length, path.length - suffix.length);
  return id !== '' && !id.includes('/') ? id : undefined;
}

const refuseUnknownType: GatewayHandler = (request) => {
  if (request.body.type === undefined || request.body.type === '') {
    throw new FieldError(MISSING_FIELD, 'type is required');
  }
  throw new FieldError(INVALID_FIELD, 'type must be SALE, REFUND or VOID');
};
