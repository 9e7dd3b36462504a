/**
 * The HTTP side of the simulator (node:http only): reads a request, first applies the late completions
 * already due, then a queued fault if one matches, checks the api-key, runs the handler and answers JSON
 * or XML as Clearent would. The browser SDK's files (`browser-sdk.ts`) are served before all that.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { browserSdkFile } from './browser-sdk';
import type { GatewayRequest, SandboxState } from './context';
import { CONTROL_PREFIX, handleControl } from './control';
import { errorEnvelope, unauthorizedEnvelope } from './envelopes';
import type { FaultInjection } from './faults';
import { FieldError, INVALID_FIELD, type RequestBody } from './fields';
import type { LateCompletions } from './late-completions';
import { type ResolvedRoute, resolveRoute } from './routes';
import { type GatewayReply, httpStatusOf, renderJson, renderXml, wantsJson } from './wire';

const MAX_BODY_BYTES = 1_000_000;
const JSON_TYPE = 'application/json;charset=UTF-8';
const XML_TYPE = 'application/xml;charset=UTF-8';
/** What a load balancer in front of the gateway says: not Clearent's envelope at all. */
const LOAD_BALANCER_PAGES: Record<502 | 503 | 504, string> = {
  502: '<html><body><h1>502 Bad Gateway</h1></body></html>',
  503: '<html><body><h1>503 Service Unavailable</h1></body></html>',
  504: '<html><body><h1>504 Gateway Time-out</h1></body></html>',
};

export interface GatewayServer {
  server: Server;
  /** Ends pending delays (latency, `late` faults) so that closing does not wait for them. */
  cancelDelays(): void;
}

export interface ServerHooks {
  /** What `POST /_sandbox/reset` does. */
  reset(): void;
  /** Where `late-completion` faults hold their requests; flushed before every request. */
  lateCompletions: LateCompletions;
}

/** Creates (does not start) the simulator's HTTP server over the given state. */
export function createGatewayServer(state: SandboxState, hooks: ServerHooks): GatewayServer {
  const delays = new Set<() => void>();
  let exchangeCount = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const finish = () => {
        clearTimeout(timer);
        delays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      delays.add(finish);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    res.setHeader('access-control-allow-origin', '*');
    if (method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', 'content-type, accept, public-key, api-key, mobilejwt');
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      return sendNoContent(res);
    }
    const sdkFile = method === 'GET' ? browserSdkFile(url.pathname) : undefined;
    if (sdkFile) return send(res, 200, sdkFile.contentType, sdkFile.body, sdkFile.headers);
    const rawBody = await readBody(req);
    // Whatever was due before this request arrived happened before it.
    hooks.lateCompletions.flushDue();
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      const answer = handleControl(method, url, rawBody, state, hooks.reset);
      return send(res, answer.status, JSON_TYPE, JSON.stringify(answer.body));
    }
    const body = parseBody(rawBody);
    const route = resolveRoute(method, url.pathname, body ?? {});
    const endpoint = route?.endpoint ?? `${method} ${url.pathname}`;
    state.ledger.countRequest(endpoint);
    const fault = route && state.faults.take(route.operation, url.pathname);
    if (fault?.kind === 'reset-before-processing') return void req.socket.destroy();
    exchangeCount += 1;
    const request: GatewayRequest = {
      query: url.searchParams,
      headers: req.headers,
      body: body ?? {},
      pathId: route?.pathId,
      endpoint,
      exchangeId: `ID-clearent-sandbox-${exchangeCount}-${randomBytes(4).toString('hex')}`,
      receivedAt: state.now(),
    };
    const processAt = (at: Date): GatewayReply =>
      route
        ? processRequest(route, { ...request, receivedAt: at }, body, state)
        : errorEnvelope(404, INVALID_FIELD, 'Resource not found', request.exchangeId, at);
    if (fault?.kind === 'late-completion') {
      return hooks.lateCompletions.add({
        dueAt: new Date(request.receivedAt.getTime() + fault.delayMs),
        complete: (dueAt) => answerSafely(res, () => processAt(dueAt), req.headers.accept),
        abandon: () => req.socket.destroy(),
      });
    }
    if (fault?.kind === 'http-error') {
      if (fault.processed) processAt(request.receivedAt);
      await wait(state.latencyMs);
      if (fault.status !== 500) {
        return send(res, fault.status, 'text/html', LOAD_BALANCER_PAGES[fault.status]);
      }
      const envelope = errorEnvelope(500, '050', 'Internal error', request.exchangeId, request.receivedAt);
      return answer(res, envelope, req.headers.accept);
    }
    const reply = processAt(request.receivedAt);
    await wait(state.latencyMs + (fault?.kind === 'late' ? fault.delayMs : 0));
    if (fault?.kind === 'reset-after-processing') return void req.socket.destroy();
    answer(res, reply, req.headers.accept, fault);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendFailure(res));
  });
  return {
    server,
    cancelDelays: () => {
      for (const finish of [...delays]) finish();
    },
  };
}

/** Authenticates, then runs the handler; a `FieldError` becomes Clearent's 400 envelope. */
function processRequest(
  route: ResolvedRoute,
  request: GatewayRequest,
  body: RequestBody | undefined,
  state: SandboxState,
): GatewayReply {
  const { exchangeId, receivedAt } = request;
  if (!isAuthenticated(route, request, state)) return unauthorizedEnvelope(receivedAt);
  if (body === undefined) {
    return errorEnvelope(400, INVALID_FIELD, 'request body must be a JSON object', exchangeId, receivedAt);
  }
  try {
    return route.handler(request, state);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    return errorEnvelope(400, error.resultCode, error.message, exchangeId, receivedAt);
  }
}

function isAuthenticated(route: ResolvedRoute, request: GatewayRequest, state: SandboxState): boolean {
  if (route.authentication === 'public-key') {
    const publicKey = request.headers['public-key'];
    return typeof publicKey === 'string' && publicKey !== '';
  }
  return request.headers['api-key'] === state.apiKey;
}

function answer(
  res: ServerResponse,
  reply: GatewayReply,
  accept: string | undefined,
  fault?: FaultInjection,
) {
  const json = wantsJson(accept) && fault?.kind !== 'xml';
  const contentType = json ? JSON_TYPE : XML_TYPE;
  if ('noContent' in reply) {
    return fault?.kind === 'malformed' ? send(res, 200, contentType, '') : sendNoContent(res);
  }
  const rendered = json ? renderJson(reply) : renderXml(reply);
  if (fault?.kind === 'malformed') {
    return send(res, 200, contentType, rendered.slice(0, Math.floor(rendered.length / 2)));
  }
  send(res, httpStatusOf(reply), contentType, rendered);
}

/** For a late completion, run outside its own request: a failure answers that request only. */
function answerSafely(res: ServerResponse, process: () => GatewayReply, accept: string | undefined): void {
  try {
    answer(res, process(), accept);
  } catch {
    sendFailure(res);
  }
}

function sendFailure(res: ServerResponse): void {
  send(res, 500, 'text/plain', 'sandbox failure');
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendNoContent(res: ServerResponse): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(204);
  res.end();
}

/** `undefined` when the body is not a JSON object; `{}` when there is no body. */
function parseBody(rawBody: string): RequestBody | undefined {
  if (rawBody.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as RequestBody)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
