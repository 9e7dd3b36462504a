/**
 * Local-only routes such as `POST /_local/run-recurring`: plain async functions of the JSON body,
 * never deployed, so they have no authorizer, no Idempotency-Key and no Lambda event. And local-only
 * pages (`GET /demo`): fixed files answered as they are.
 */
import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod';
import type { Clock } from '../../shared/payments/ports';
import type { GatewayResponse } from './http-api-response';

export interface LocalRouteResult {
  statusCode: number;
  /** Answered as JSON; no body when absent. */
  body?: unknown;
}

/**
 * Receives the parsed JSON body, or `undefined` for an empty one, and the request's headers (lower-case
 * names), for a route that must know who calls it (the demo checkout's backend checks `origin`).
 */
export type LocalRoute = (body: unknown, headers?: IncomingHttpHeaders) => Promise<LocalRouteResult>;

/** By exact path, answering POST only; a path not listed here is a 404. */
export type LocalRoutes = Readonly<Record<string, LocalRoute>>;

/** A local page or its script or style, answered `200` as it is. */
export interface LocalPage {
  contentType: string;
  body: string;
  /** e.g. the page's Content-Security-Policy. */
  headers?: Record<string, string>;
}

/** By exact path, answering GET only; a path not listed here is a 404. */
export type LocalPages = Readonly<Record<string, () => LocalPage>>;

/** The path the contract gives to running the scheduled recurring charges now. */
export const runRecurringPath = '/_local/run-recurring';

/** The path the contract gives to running the scheduled reconciliation now. */
export const runReconciliationPath = '/_local/run-reconciliation';

/**
 * Runs `route` with the request `body`; a body that is not JSON is a 400 in the contract's error shape.
 * @throws what the route throws (the server answers 500 and logs it).
 */
export async function runLocalRoute(
  route: LocalRoute,
  body: Buffer,
  headers: IncomingHttpHeaders = {},
): Promise<GatewayResponse> {
  let input: unknown;
  try {
    input = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    return json(400, {
      error: { type: 'invalid_request_error', code: 'invalid_json', message: 'the body must be JSON' },
    });
  }
  const result = await route(input, headers);
  return result.body === undefined
    ? { statusCode: result.statusCode, headers: {}, cookies: [], body: Buffer.alloc(0) }
    : json(result.statusCode, result.body);
}

/** A local page's answer; never cached, so a restart with other settings shows at once. */
export function pageResponse(page: LocalPage): GatewayResponse {
  return {
    statusCode: 200,
    headers: {
      ...page.headers,
      'content-type': page.contentType,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    cookies: [],
    body: Buffer.from(page.body),
  };
}

function json(statusCode: number, body: unknown): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}

const scheduledRunSchema = z.strictObject({
  now: z.iso
    .datetime({ offset: true, error: 'now must be an ISO 8601 time like "2026-12-24T00:00:00Z"' })
    .optional(),
});

/**
 * A scheduled run as the scheduler would start it at `now` (body `{"now": "<ISO time>"}`, default the
 * clock): the clock the run sees, moving on from `now`, or the 400 for a body that says no such thing.
 */
export function scheduledRunOf(body: unknown): { now: Date; clock: Clock } | { refusal: LocalRouteResult } {
  const parsed = scheduledRunSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'the body must be {"now": "<ISO time>"}';
    const error = { type: 'invalid_request_error', code: 'validation_error', message, param: 'now' };
    return { refusal: { statusCode: 400, body: { error } } };
  }
  const now = parsed.data.now ? new Date(parsed.data.now) : new Date();
  const offset = now.getTime() - Date.now();
  return { now, clock: { now: () => new Date(Date.now() + offset) } };
}
