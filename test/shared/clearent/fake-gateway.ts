/**
 * A tiny HTTP server on 127.0.0.1 (ephemeral port) that records what it received and answers as told:
 * a canned answer, silence, or a dropped connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClearentClient } from '../../../shared/clearent/client';
import type { ClearentClientOptions } from '../../../shared/clearent/types';
import { API_KEY } from './fixtures';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply =
  | { status: number; body: string; contentType?: string }
  /** Read the request, never answer. */
  | 'hang'
  /** Read the request, then drop the connection. */
  | 'destroy';

export interface FakeGateway {
  baseUrl: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Answers JSON (or the given content type) with the status. */
export function reply(status: number, body: string, contentType = 'application/json'): Reply {
  return { status, body, contentType };
}

/** Starts a fake gateway; `answer` gets each request and its 0-based position. */
export async function startFakeGateway(
  answer: (request: ReceivedRequest, index: number) => Reply,
): Promise<FakeGateway> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(recorded);
      const planned = answer(recorded, received.length - 1);
      if (planned === 'hang') return;
      if (planned === 'destroy') {
        request.socket.destroy();
        return;
      }
      response.writeHead(planned.status, { 'content-type': planned.contentType ?? 'application/json' });
      response.end(planned.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens: the port was just released. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Registers the clean-up and returns a factory: a client of a fresh fake gateway answering as told.
 * Call at the top of a describe block.
 */
export function useFakeGatewayClient(defaults: Partial<ClearentClientOptions> = {}) {
  let gateway: FakeGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  return async (answer: (index: number) => Reply, options: Partial<ClearentClientOptions> = {}) => {
    const started = await startFakeGateway((_request, index) => answer(index));
    gateway = started;
    const client = createClearentClient({
      baseUrl: started.baseUrl,
      apiKey: API_KEY,
      ...defaults,
      ...options,
    });
    return { client, received: started.received };
  };
}
