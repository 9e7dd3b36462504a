/**
 * HTTP(S) exchanges with the gateway over node:http, because only a raw ClientRequest tells us whether the
 * request was fully written before a failure: the difference between "nothing was charged" and "maybe charged".
 */
import http from 'node:http';
import https from 'node:https';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Path and query under the base URL, e.g. `/rest/v2/transactions?id=1`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** What went wrong in an exchange that produced no answer; callers decide from `sent` whether it may have acted. */
export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';

  constructor(
    message: string,
    /** The whole request reached the socket ('finish' fired): the gateway may have acted on it. */
    readonly sent: boolean,
    /** The request went out on a kept-alive socket from an earlier exchange. */
    readonly reusedSocket: boolean,
    readonly timedOut: boolean,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/**
 * True when a kept-alive socket turned out to be closed before our request was written. Node documents this
 * race (http.ClientRequest `reusedSocket`: the server closes an idle keep-alive connection just as we reuse it,
 * and the request fails with ECONNRESET); the gateway never saw the request, so sending it again cannot
 * charge twice, whatever the operation.
 */
export function isStaleSocketFailure(failure: TransportFailure): boolean {
  return failure.reusedSocket && !failure.sent && !failure.timedOut;
}

/** Sends one request; resolves with any HTTP answer, rejects only with a TransportFailure. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpAnswer>;

/** Answers larger than this are not Clearent envelopes; reading them would only waste the Lambda's memory. */
const MAX_ANSWER_BYTES = 1_000_000;
/**
 * Idle kept-alive sockets are dropped after this long, under the 5 s idle timeout common on servers
 * (Node's default keepAliveTimeout), so that we rarely reuse a socket the server is about to close.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * A transport to one gateway, with its own keep-alive agent. `timeoutMs` covers the whole exchange:
 * connecting, writing, waiting and reading the answer.
 *
 * @example
 * const send = createHttpTransport('https://gateway-sb.clearent.net', 10_000);
 * const answer = await send({ method: 'GET', path: '/rest/v2/transactions?id=1', headers: {} });
 */
export function createHttpTransport(baseUrl: string, timeoutMs: number): HttpTransport {
  const base = new URL(baseUrl);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
    : new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  const request = secure ? https.request : http.request;
  const basePath = base.pathname.replace(/\/$/, '');

  return (exchange) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const body = exchange.body ?? '';
      const outgoing = request({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        path: basePath + exchange.path,
        method: exchange.method,
        headers: { ...exchange.headers, 'content-length': String(Buffer.byteLength(body)) },
        agent,
      });
      let sent = false;
      let settled = false;

      const fail = (message: string, timedOut: boolean, cause?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        reject(new TransportFailure(message, sent, outgoing.reusedSocket, timedOut, cause));
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`, true), timeoutMs);

      outgoing.on('finish', () => {
        sent = true;
      });
      outgoing.on('error', (error) => fail('connection failed', false, error));
      outgoing.on('response', (response) => {
        // An answer means the gateway read the request, even if it answered before we finished writing.
        sent = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) fail('answer too large', false);
          else chunks.push(chunk);
        });
        response.on('error', (error) => fail('connection lost while reading the answer', false, error));
        response.on('close', () => {
          if (!response.complete) fail('connection lost while reading the answer', false);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      outgoing.end(body);
    });
}
