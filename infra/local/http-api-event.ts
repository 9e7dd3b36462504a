/**
 * Builds the events API Gateway (HTTP API, payload format 2.0) sends to Lambda: the integration event
 * for a route's function and the REQUEST event for its Lambda authorizer. Field by field as AWS
 * documents them: lower-cased header names with duplicates joined by commas, cookies moved out of
 * the headers, absent (not empty) optional fields, and non-text bodies base64-encoded.
 */
import { randomBytes } from 'node:crypto';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import { localAccountId, localRegion } from './local-aws';
import type { RouteMatch } from './route-matcher';

/** An HTTP request as received, before any interpretation. */
export interface GatewayRequest {
  method: string;
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  /** Everything after `?`, as sent; '' when none. */
  rawQueryString: string;
  /** As API Gateway passes them: see `gatewayHeaders`. */
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
  sourceIp: string;
  localPort: number;
  /** `HTTP/1.1` */
  protocol: string;
  requestId: string;
  timeEpoch: number;
}

/** What the authorizer put in its `context`, passed to the function as `requestContext.authorizer.lambda`. */
export type AuthorizerContext = Record<string, unknown>;

export type ProxyEventV2 = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: { lambda: AuthorizerContext } }
>;

export const localApiId = 'localapi01';
export const localStage = '$default';

// As observed on AWS (payload 2.0): only these are passed as text; everything else, including a missing
// content type and application/x-www-form-urlencoded (curl -d), arrives base64-encoded.
const textContentTypes = /^(text\/[^;]+|application\/(json|xml|javascript))\s*(;.*)?$/i;

/** API Gateway's own request id: 11 random bytes in base64, like `JKJaXmPLvHcESHA=`. */
export function newGatewayRequestId(): string {
  return randomBytes(11).toString('base64');
}

/** The integration event for the route's function. */
export function toProxyEventV2(
  request: GatewayRequest,
  match: RouteMatch,
  authorizer?: AuthorizerContext,
): ProxyEventV2 {
  const { headers, cookies } = request;
  const isBase64Encoded = request.body.length > 0 && !textContentTypes.test(headers['content-type'] ?? '');
  const requestContext = requestContextFor(request, match.routeKey);
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...optional('queryStringParameters', queryParameters(request.rawQueryString)),
    requestContext: authorizer ? { ...requestContext, authorizer: { lambda: authorizer } } : requestContext,
    ...(request.body.length > 0 ? { body: request.body.toString(isBase64Encoded ? 'base64' : 'utf8') } : {}),
    ...optional('pathParameters', match.pathParameters),
    isBase64Encoded,
  };
}

/** The REQUEST authorizer event (simple responses); `identitySource` holds the identity values found. */
export function toAuthorizerEventV2(
  request: GatewayRequest,
  match: RouteMatch,
  identitySource: string[],
): APIGatewayRequestAuthorizerEventV2 {
  const { headers, cookies } = request;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${localRegion}:${localAccountId}:${localApiId}/${localStage}/${request.method}${request.rawPath}`,
    identitySource,
    routeKey: match.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    cookies,
    headers,
    ...optional('queryStringParameters', queryParameters(request.rawQueryString)),
    requestContext: requestContextFor(request, match.routeKey),
    ...optional('pathParameters', match.pathParameters),
  };
}

/**
 * Headers as API Gateway passes them, from Node's `rawHeaders` (which keeps duplicates that
 * `request.headers` would drop), plus the ones API Gateway adds itself.
 */
export function gatewayHeaders(
  rawHeaders: readonly string[],
  client: { sourceIp: string; localPort: number; timeEpoch: number },
): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((cookie) => cookie.trim())
          .filter((cookie) => cookie !== ''),
      );
    } else {
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    }
  }
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor},${client.sourceIp}` : client.sourceIp;
  headers['x-forwarded-port'] = String(client.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId(client.timeEpoch);
  return { headers, cookies };
}

function requestContextFor(request: GatewayRequest, routeKey: string): APIGatewayEventRequestContextV2 {
  const { headers } = request;
  const domainName = headers.host ?? `127.0.0.1:${request.localPort}`;
  return {
    accountId: localAccountId,
    apiId: localApiId,
    domainName,
    domainPrefix: domainName.split(':')[0]?.split('.')[0] ?? domainName,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: request.requestId,
    routeKey,
    stage: localStage,
    time: gatewayTime(request.timeEpoch),
    timeEpoch: request.timeEpoch,
  };
}

/** Duplicated parameters are joined with commas, as in the `headers` field. */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = parameters[name] === undefined ? value : `${parameters[name]},${value}`;
  }
  return parameters;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `24/Nov/2026:10:00:00 +0000`, API Gateway's CLF-style time. */
function gatewayTime(timeEpoch: number): string {
  const date = new Date(timeEpoch);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/** X-Ray's `Root=1-<epoch seconds in hex>-<24 hex digits>`. */
function traceId(timeEpoch: number): string {
  return `Root=1-${Math.floor(timeEpoch / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}
