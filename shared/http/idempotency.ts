/**
 * The HTTP side of idempotency: the Idempotency-Key header, the request fingerprint, and the answer
 * (with `Idempotent-Replayed: true` on a replay).
 */
import { createHash } from 'node:crypto';
import {
  type IdempotencyPorts,
  type IdempotentOperation,
  type IdempotentRequest,
  runIdempotent,
} from '../payments/idempotent-operation';
import { InvalidRequestError } from './errors';
import type { ApiRequest, ApiResult } from './request';
import { idempotencyKeySchema } from './validation';

export function idempotencyKeyOf(request: ApiRequest): string {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    throw new InvalidRequestError(
      'idempotency_key_missing',
      'Send an Idempotency-Key header with every POST and PATCH',
      'Idempotency-Key',
    );
  }
  if (!idempotencyKeySchema().safeParse(key).success) {
    throw new InvalidRequestError(
      'idempotency_key_invalid',
      'Idempotency-Key must be 1 to 255 visible ASCII characters',
      'Idempotency-Key',
    );
  }
  return key;
}

/** Canonical JSON (keys sorted), so that the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The fingerprint of a request: its route, body and, on a route with parameters (a PATCH of one
 * subscription), those parameters, so that one key sent to another subscription is a different request.
 * A route without parameters hashes as it always has, so records kept from before still match.
 */
export function requestHash(
  routeKey: string,
  body: unknown,
  pathParameters: Record<string, string | undefined> = {},
): string {
  const hash = createHash('sha256').update(routeKey).update('\n').update(canonical(body));
  if (Object.keys(pathParameters).length > 0) hash.update('\n').update(canonical(pathParameters));
  return hash.digest('hex');
}

/** Runs `operation` once per Idempotency-Key and answers as the contract says. */
export async function idempotentResult(
  ports: IdempotencyPorts,
  request: ApiRequest,
  idPrefix: IdempotentRequest['idPrefix'],
  operation: IdempotentOperation,
): Promise<ApiResult> {
  const response = await runIdempotent(
    ports,
    {
      storefrontId: request.storefrontId,
      key: idempotencyKeyOf(request),
      route: request.routeKey,
      requestHash: requestHash(request.routeKey, request.body, request.pathParameters),
      idPrefix,
    },
    operation,
  );
  const headers = { ...response.headers, ...(response.replayed ? { 'idempotent-replayed': 'true' } : {}) };
  return {
    statusCode: response.statusCode,
    rawBody: response.body,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}
