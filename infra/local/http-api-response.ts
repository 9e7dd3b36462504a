/**
 * What API Gateway (HTTP API, payload format 2.0) answers: the function's result interpreted by the
 * 2.0 rules, or one of the gateway's own fixed `{"message": ...}` answers.
 */

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** Each becomes one `set-cookie` header. */
  cookies: string[];
  body: Buffer;
}

/** The function answered something API Gateway cannot turn into an HTTP response. */
export class MalformedLambdaResponseError extends Error {
  override readonly name = 'MalformedLambdaResponseError';
}

/**
 * Interprets a handler's result: an object with `statusCode` is a structured response; anything else
 * is answered `200` as JSON (a string as it is, any other value serialized), as API Gateway does.
 * @throws MalformedLambdaResponseError for a structured response API Gateway would reject (it answers 500).
 */
export function responseFromResult(result: unknown): GatewayResponse {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body),
    };
  }
  const { statusCode, headers = {}, cookies = [], body = '', isBase64Encoded = false } = result;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new MalformedLambdaResponseError(`statusCode must be an HTTP status, got ${String(statusCode)}`);
  }
  if (typeof body !== 'string') throw new MalformedLambdaResponseError('body must be a string');
  if (!isHeaderMap(headers))
    throw new MalformedLambdaResponseError('headers must map names to strings, numbers or booleans');
  if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) {
    throw new MalformedLambdaResponseError('cookies must be a list of strings');
  }
  return {
    statusCode,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    ),
    cookies,
    body: Buffer.from(body, isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

/** API Gateway's own answer: `{"message": "..."}` as JSON. */
export function gatewayMessage(statusCode: number, message: string): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

export const notFound = (): GatewayResponse => gatewayMessage(404, 'Not Found');
export const internalServerError = (): GatewayResponse => gatewayMessage(500, 'Internal Server Error');
export const requestEntityTooLarge = (): GatewayResponse => gatewayMessage(413, 'Request Entity Too Large');

/**
 * The answer when a route's authorizer does not let a request through. This is what API Gateway
 * answers, and it cannot be changed there for an HTTP API: `401 Unauthorized` when the identity
 * source (the Authorization header) is missing, without calling the authorizer; `403 Forbidden`
 * when the authorizer says no. Kept in this one function so the choice is easy to revisit.
 */
export function authorizationFailure(reason: 'missing-identity' | 'denied'): GatewayResponse {
  return reason === 'missing-identity'
    ? gatewayMessage(401, 'Unauthorized')
    : gatewayMessage(403, 'Forbidden');
}

interface StructuredResult {
  statusCode: unknown;
  headers?: unknown;
  cookies?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}

function isStructured(result: unknown): result is StructuredResult {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

function isHeaderMap(headers: unknown): headers is Record<string, string | number | boolean> {
  return (
    typeof headers === 'object' &&
    headers !== null &&
    Object.values(headers).every((value) => ['string', 'number', 'boolean'].includes(typeof value))
  );
}
