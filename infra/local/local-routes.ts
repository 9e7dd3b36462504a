/**
 * Local-only routes such as `POST /_local/run-recurring`: plain async functions of the JSON body,
 * never deployed, so they have no authorizer, no Idempotency-Key and no Lambda event.
 */
import type { GatewayResponse } from './http-api-response';

export interface LocalRouteResult {
  statusCode: number;
  /** Answered as JSON; no body when absent. */
  body?: unknown;
}

/** Receives the parsed JSON body, or `undefined` for an empty one. */
export type LocalRoute = (body: unknown) => Promise<LocalRouteResult>;

/** By exact path, answering POST only; a path not listed here is a 404. */
export type LocalRoutes = Readonly<Record<string, LocalRoute>>;

/** The path the contract gives to running the scheduled recurring charges now. */
export const runRecurringPath = '/_local/run-recurring';

/** The path the contract gives to running the scheduled reconciliation now. */
export const runReconciliationPath = '/_local/run-reconciliation';

/**
 * Runs `route` with the request `body`; a body that is not JSON is a 400 in the contract's error shape.
 * @throws what the route throws (the server answers 500 and logs it).
 */
export async function runLocalRoute(route: LocalRoute, body: Buffer): Promise<GatewayResponse> {
  let input: unknown;
  try {
    input = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    return json(400, {
      error: { type: 'invalid_request_error', code: 'invalid_json', message: 'the body must be JSON' },
    });
  }
  const result = await route(input);
  return result.body === undefined
    ? { statusCode: result.statusCode, headers: {}, cookies: [], body: Buffer.alloc(0) }
    : json(result.statusCode, result.body);
}

function json(statusCode: number, body: unknown): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}
