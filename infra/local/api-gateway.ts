/**
 * The local API Gateway: an HTTP server on 127.0.0.1 that routes requests by `infra/routes.ts`,
 * runs the storefront authorizer for authorized routes, and calls each route's Lambda handler in
 * this process with the same payload-2.0 event and the same answer rules as the deployed HTTP API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type ApiRoute, apiRoutes, type FunctionName } from '../routes';
import { functionTimeoutSeconds } from '../timeouts';
import { type FunctionLoader, loadFunctionFromSource, loadOnce } from './function-loader';
import {
  type AuthorizerContext,
  type GatewayRequest,
  gatewayHeaders,
  newGatewayRequestId,
  toAuthorizerEventV2,
  toProxyEventV2,
} from './http-api-event';
import {
  authorizationFailure,
  type GatewayResponse,
  internalServerError,
  notFound,
  requestEntityTooLarge,
  responseFromResult,
} from './http-api-response';
import { closeServer, listenLocally, RequestBodyTooLargeError, readRequestBody } from './http-server';
import { invokeLocally } from './lambda-context';
import { type LocalPages, type LocalRoutes, pageResponse, runLocalRoute } from './local-routes';
import { matchRoute, type RouteMatch } from './route-matcher';

export interface ApiServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  routes?: readonly ApiRoute[];
  /** How handler modules are loaded; tests pass fakes. Default: from `functions/<name>/handler.ts`. */
  loadFunction?: FunctionLoader;
  /** Local-only POST routes (no authorizer, no Lambda), by path. */
  localRoutes?: LocalRoutes;
  /** Local-only GET pages (no authorizer, no Lambda), by path: the demo checkout. */
  localPages?: LocalPages;
  lambdaTimeoutMs?: number;
  /**
   * False (the default) mirrors the deployed stages: the authorizer has no identity source, so it sees
   * every request and a missing key gets the contract's 401 body (see functions/authorizer/handler.ts).
   * True mirrors an authorizer with the Authorization header as identity source: API Gateway itself
   * answers a bare 401 before the authorizer runs.
   */
  authorizationHeaderRequired?: boolean;
  /** API Gateway's payload limit, 10 MB. */
  maxRequestBodyBytes?: number;
  /** One line per request and per failure; silent when absent. */
  log?: (line: string) => void;
  /**
   * Called after each answer: locally, what a DynamoDB stream would do for the writes a request made
   * (the webhook relay runs; infra/local/webhooks.ts).
   */
  afterRequest?: () => void;
}

export interface ApiServer {
  readonly url: string;
  /** Stops accepting requests, lets the ones in flight finish, then closes. */
  close(): Promise<void>;
}

interface Answer {
  response: GatewayResponse;
  functionName?: FunctionName;
}

const authorizerFunction: FunctionName = 'authorizer';
const defaultMaxRequestBodyBytes = 10 * 1024 * 1024;

/**
 * Starts the local API Gateway.
 * @example const api = await startApiServer({ port: 3000, log: console.log });
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const routes = options.routes ?? apiRoutes;
  const loadFunction = loadOnce(options.loadFunction ?? loadFunctionFromSource);
  const localRoutes = options.localRoutes ?? {};
  const localPages = options.localPages ?? {};
  const maxBodyBytes = options.maxRequestBodyBytes ?? defaultMaxRequestBodyBytes;
  const log = options.log ?? (() => {});
  const headerRequired = options.authorizationHeaderRequired ?? false;
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  // Each function's deployed timeout (the time budget), unless a test sets one for all.
  const invoke = async (functionName: FunctionName, event: unknown) =>
    invokeLocally(functionName, await loadFunction(functionName), event, {
      timeoutMs: options.lambdaTimeoutMs ?? functionTimeoutSeconds[functionName] * 1000,
    });

  const failed = (what: string, error: unknown): GatewayResponse => {
    log(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return internalServerError();
  };

  async function authorize(
    request: GatewayRequest,
    match: RouteMatch,
  ): Promise<{ context: AuthorizerContext } | { denied: GatewayResponse }> {
    const identity = request.headers.authorization;
    if (!identity && headerRequired) return { denied: authorizationFailure('missing-identity') };
    let decision: unknown;
    try {
      const identitySource = headerRequired && identity ? [identity] : [];
      decision = await invoke(authorizerFunction, toAuthorizerEventV2(request, match, identitySource));
    } catch (error) {
      return { denied: failed(authorizerFunction, error) };
    }
    if (!isSimpleAuthorizerResponse(decision)) {
      return { denied: failed(authorizerFunction, new Error('answered without a boolean isAuthorized')) };
    }
    return decision.isAuthorized
      ? { context: decision.context ?? {} }
      : { denied: authorizationFailure('denied') };
  }

  async function answer(incoming: IncomingMessage, requestId: string, timeEpoch: number): Promise<Answer> {
    const method = incoming.method ?? 'GET';
    const [rawPath = '/', rawQueryString = ''] = splitTarget(incoming.url ?? '/');
    const localRoute =
      method === 'POST' && Object.hasOwn(localRoutes, rawPath) ? localRoutes[rawPath] : undefined;
    if (localRoute) {
      const body = await readRequestBody(incoming, maxBodyBytes);
      return {
        response: await runLocalRoute(localRoute, body, incoming.headers).catch((error: unknown) =>
          failed(rawPath, error),
        ),
      };
    }
    const localPage =
      method === 'GET' && Object.hasOwn(localPages, rawPath) ? localPages[rawPath] : undefined;
    if (localPage) return { response: pageResponse(localPage()) };
    const match = matchRoute(routes, method, rawPath);
    if (!match) return { response: notFound() };
    const body = await readRequestBody(incoming, maxBodyBytes);
    const sourceIp = incoming.socket.remoteAddress ?? '127.0.0.1';
    const localPort = incoming.socket.localPort ?? 0;
    const request: GatewayRequest = {
      method,
      rawPath,
      rawQueryString,
      ...gatewayHeaders(incoming.rawHeaders, { sourceIp, localPort, timeEpoch }),
      body,
      sourceIp,
      localPort,
      protocol: `HTTP/${incoming.httpVersion}`,
      requestId,
      timeEpoch,
    };
    let authorizerContext: AuthorizerContext | undefined;
    if (match.route.authorized) {
      const authorization = await authorize(request, match);
      if ('denied' in authorization)
        return { response: authorization.denied, functionName: authorizerFunction };
      authorizerContext = authorization.context;
    }
    const { functionName } = match.route;
    try {
      return {
        response: responseFromResult(
          await invoke(functionName, toProxyEventV2(request, match, authorizerContext)),
        ),
        functionName,
      };
    } catch (error) {
      return { response: failed(functionName, error), functionName };
    }
  }

  const server = createServer((incoming, outgoing) => {
    const started = Date.now();
    const requestId = newGatewayRequestId();
    const done = answer(incoming, requestId, started)
      .catch((error: unknown) => ({
        response:
          error instanceof RequestBodyTooLargeError ? requestEntityTooLarge() : failed('request', error),
      }))
      .then(({ response, functionName }: Answer) => {
        send(outgoing, response, requestId, closing || response.statusCode === 413);
        log(
          `${incoming.method} ${incoming.url?.split('?')[0]} ${response.statusCode} ${functionName ?? '-'} ${Date.now() - started} ms`,
        );
        options.afterRequest?.();
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });

  const url = await listenLocally(server, options.port ?? 0);
  return {
    url,
    close: async () => {
      closing = true;
      const closed = closeServer(server);
      await Promise.allSettled([...inFlight]);
      server.closeIdleConnections();
      await closed;
    },
  };
}

function send(
  outgoing: ServerResponse,
  response: GatewayResponse,
  requestId: string,
  closeConnection: boolean,
): void {
  outgoing.writeHead(response.statusCode, {
    ...response.headers,
    ...(response.cookies.length > 0 ? { 'set-cookie': response.cookies } : {}),
    'apigw-requestid': requestId,
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  outgoing.end(response.body);
}

/** `/path?query` into its raw parts, as sent. */
function splitTarget(target: string): [string, string] {
  const queryStart = target.indexOf('?');
  return queryStart === -1 ? [target, ''] : [target.slice(0, queryStart), target.slice(queryStart + 1)];
}

function isSimpleAuthorizerResponse(
  value: unknown,
): value is { isAuthorized: boolean; context?: AuthorizerContext } {
  if (typeof value !== 'object' || value === null) return false;
  const { isAuthorized, context } = value as Record<string, unknown>;
  return (
    typeof isAuthorized === 'boolean' &&
    (context === undefined || (typeof context === 'object' && context !== null))
  );
}
