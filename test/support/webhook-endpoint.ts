/**
 * A storefront's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that answers each POST with
 * the status `answer` picks (default 200), and keeps every request with its signature checked by the
 * reference implementation (`standardwebhooks`), once the test tells it the endpoint's secret. Every
 * delivery must be one the OpenAPI document's `webhooks` describe: reading the events throws otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { EventResource } from '../../shared/events/event';
import { checkWebhook } from './openapi-check';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed once verified; `undefined` when the signature did not verify (or no secret was known). */
  event?: EventResource;
  at: number;
}

export interface TestEndpoint {
  url: string;
  received: Received[];
  /** Verified events, in arrival order. */
  events(): EventResource[];
  /** The secret to verify with (from the endpoint's creation). */
  trust(secret: string): void;
  /** Resolves once `predicate` holds for the verified events (polls; rejects after `timeoutMs`). */
  waitFor(predicate: (events: EventResource[]) => boolean, timeoutMs?: number): Promise<EventResource[]>;
  /** Stops it; rejects if a delivery did not match the OpenAPI document's `webhooks`. */
  close(): Promise<void>;
}

/** `answer(n, event)` is the status for the n-th request (1-based). */
export async function startTestEndpoint(
  answer: (n: number, event: EventResource | undefined) => number = () => 200,
): Promise<TestEndpoint> {
  const received: Received[] = [];
  /** Deliveries the OpenAPI document does not describe. */
  const undocumented: string[] = [];
  let verifier: Webhook | undefined;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        checkWebhook(request.headers, body);
      } catch (error) {
        undocumented.push(error instanceof Error ? error.message : String(error));
      }
      let event: EventResource | undefined;
      try {
        event = verifier?.verify(body, headersOf(request.headers)) as EventResource | undefined;
      } catch {
        event = undefined;
      }
      received.push({ headers: request.headers, body, event, at: Date.now() });
      response.writeHead(answer(received.length, event));
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const events = () => {
    if (undocumented.length > 0) throw new Error(undocumented.join('\n'));
    return received.flatMap((r) => (r.event ? [r.event] : []));
  };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    events,
    trust: (secret) => {
      verifier = new Webhook(secret);
    },
    waitFor: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events())) {
        if (Date.now() > deadline) {
          throw new Error(
            `the endpoint did not receive the expected events: ${events()
              .map((e) => e.type)
              .join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events();
    },
    // Also where a test that never reads the events learns of a delivery the document does not describe.
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (undocumented.length > 0) throw new Error(undocumented.join('\n'));
    },
  };
}

function headersOf(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
}
