/**
 * One webhook delivery attempt: a signed POST to a storefront's endpoint, and what became of it (contract:
 * Webhooks: a 2xx within 15 s is delivered, 410 disables the endpoint, redirects are not followed).
 *
 * The answer is an outcome, never an exception: the caller records every attempt and schedules the next,
 * whatever went wrong. Outcomes are kept and shown to the storefront, so their error text is built here from
 * codes, never from the body, the headers (the signature) or the URL's path and query (which may hold the
 * receiver's own token); it names the host at most.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { checkEndpointUrl, type DestinationPolicy, ForbiddenAddressError, safeLookup } from './destination';

/** The contract's delivery timeout: a 2xx within it is delivered (shared/webhooks/live-ports.ts uses it). */
export const WEBHOOK_TIMEOUT_MS = 15_000;

export type WebhookAttempt =
  | { kind: 'delivered'; status: number; ms: number }
  | { kind: 'gone'; status: 410; ms: number }
  | { kind: 'failed'; status: number | null; error: string; ms: number };

export interface PostWebhookOptions {
  /** The whole attempt: connecting, sending, and reading the answer (15000 in production). */
  timeoutMs: number;
  /** Local runtime only: endpoints on this machine are allowed (see `DestinationPolicy`). */
  allowLoopback: boolean;
}

export const WEBHOOK_USER_AGENT = 'clearent-payments-webhooks/1.0';

/**
 * Only the status matters. The answer is read to its end, so that a receiver that stops mid-answer has not
 * acknowledged the event, but past this many bytes we stop and let the status decide: a receiver cannot make
 * us read megabytes.
 */
const MAX_ANSWER_BYTES = 4096;

/** `ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`...: Node's codes, safe to show, unlike its messages. */
function codeOf(error: unknown): string {
  // Not `instanceof Error`: errors made inside Node's own modules fail it under jest (another realm).
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'unknown error';
}

/** The POST itself, not yet ended. May throw: Node validates header values synchronously. */
function openRequest(
  target: URL,
  body: string,
  headers: Record<string, string>,
  policy: DestinationPolicy,
): http.ClientRequest {
  const send = target.protocol === 'https:' ? https.request : http.request;
  return send({
    protocol: target.protocol,
    // URL keeps the brackets of an IPv6 literal; a socket wants the bare address.
    hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    path: target.pathname + target.search,
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'content-length': String(Buffer.byteLength(body)),
    },
    // A fresh agent for this request alone: no pooled socket outlives the attempt, and `Connection: close`.
    agent: false,
    // Checks every address a name resolves to, at connect time; IP literals were checked with the URL.
    lookup: safeLookup(policy),
  });
}

/** What an answer's status means, once the answer has been read. */
function outcomeOf(status: number, ms: number): WebhookAttempt {
  if (status >= 200 && status < 300) return { kind: 'delivered', status, ms };
  if (status === 410) return { kind: 'gone', status: 410, ms };
  if (status >= 300 && status < 400) return { kind: 'failed', status, error: 'redirect not followed', ms };
  return { kind: 'failed', status, error: `answered HTTP ${status}`, ms };
}

/**
 * Sends `body` to `url` once and resolves with the outcome; never rejects.
 *
 * @example
 * const body = JSON.stringify(event);
 * const headers = webhookHeaders(await secrets.read(endpoint.secretName), event.id, new Date(), body);
 * const attempt = await postWebhook(endpoint.url, body, headers, { timeoutMs: 15_000, allowLoopback: false });
 * if (attempt.kind === 'gone') await endpoints.disable(endpoint.storefrontId, endpoint.id, 'gone', at);
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostWebhookOptions,
): Promise<WebhookAttempt> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const failed = (status: number | null, error: string): WebhookAttempt => ({
    kind: 'failed',
    status,
    error,
    ms: elapsed(),
  });

  // Again at each attempt: the endpoint was registered under the policy of its day, or locally.
  const policy = { allowLoopback: options.allowLoopback };
  const checked = checkEndpointUrl(url, policy);
  if (!checked.ok) return Promise.resolve(failed(null, `endpoint refused: ${checked.reason}`));
  const host = checked.url.host;

  let outgoing: http.ClientRequest;
  try {
    outgoing = openRequest(checked.url, body, headers, policy);
  } catch (error) {
    return Promise.resolve(failed(null, `request not sent: ${codeOf(error)}`));
  }

  return new Promise<WebhookAttempt>((resolve) => {
    let status: number | null = null;
    let settled = false;
    const settle = (attempt: WebhookAttempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Frees the socket when we stop reading early or time out; harmless once the answer has ended.
      outgoing.destroy();
      resolve(attempt);
    };
    const timer = setTimeout(() => {
      const what = status === null ? 'answer' : 'complete answer';
      settle(failed(status, `no ${what} within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const lost = `connection to ${host} lost while reading the answer`;

    outgoing.on('error', (error) => {
      if (error instanceof ForbiddenAddressError) settle(failed(null, `endpoint refused: ${error.message}`));
      else settle(failed(status, `connection to ${host} failed: ${codeOf(error)}`));
    });
    outgoing.on('response', (response) => {
      const answered = response.statusCode ?? 0;
      status = answered;
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) settle(outcomeOf(answered, elapsed()));
      });
      response.on('end', () => settle(outcomeOf(answered, elapsed())));
      response.on('error', () => settle(failed(answered, lost)));
      response.on('close', () => {
        if (!response.complete) settle(failed(answered, lost));
      });
    });
    outgoing.end(body);
  });
}
