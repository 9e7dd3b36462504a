/**
 * API Gateway HTTP API route selection for the routes of `infra/routes.ts`: an exact path wins over
 * a path with parameters; `{name}` matches one whole, non-empty segment; the method must match
 * (a wrong method is a 404 in an HTTP API, not a 405).
 */
import type { ApiRoute } from '../routes';

export interface RouteMatch {
  route: ApiRoute;
  /** As API Gateway writes it: `POST /v1/sales/jwt`, `GET /v1/transactions/{transactionId}`. */
  routeKey: string;
  /** Decoded values by parameter name; undefined for a route without parameters. */
  pathParameters?: Record<string, string>;
}

const parameterSegment = /^\{([A-Za-z0-9_]+)\}$/;

/**
 * Finds the route for `method` and `rawPath` (the path as sent, still percent-encoded).
 * @example matchRoute(apiRoutes, 'GET', '/v1/transactions/txn_1')?.pathParameters // { transactionId: 'txn_1' }
 */
export function matchRoute(
  routes: readonly ApiRoute[],
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  const candidates = routes.filter((route) => route.method === method);
  const exact = candidates.find((route) => route.path === rawPath);
  if (exact) return { route: exact, routeKey: routeKeyOf(exact) };
  const segments = rawPath.split('/');
  for (const route of candidates) {
    const pathParameters = matchSegments(route.path.split('/'), segments);
    if (pathParameters) return { route, routeKey: routeKeyOf(route), pathParameters };
  }
  return undefined;
}

function routeKeyOf(route: ApiRoute): string {
  return `${route.method} ${route.path}`;
}

function matchSegments(template: string[], segments: string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [position, expected] of template.entries()) {
    const actual = segments[position] ?? '';
    const parameterName = parameterSegment.exec(expected)?.[1];
    if (parameterName === undefined) {
      if (actual !== expected) return undefined;
    } else {
      if (actual === '') return undefined;
      parameters[parameterName] = decodeSegment(actual);
    }
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is passed on as sent; the handler's validation rejects it.
    return segment;
  }
}
