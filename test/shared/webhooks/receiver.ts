/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 (ephemeral port) that records each request
 * byte for byte, counts the connections it was offered, and answers as told: a status (with headers and a
 * body), silence, or headers followed by silence.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  method: string;
  /** Path and query, as sent. */
  target: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Answer =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Read the request, never answer. */
  | 'hang'
  /** Send `200` and `bytes` bytes of body, then nothing more: the answer never ends. */
  | { stallAfter: number };

export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  received: ReceivedWebhook[];
  /** Every TCP connection accepted, even one that never made a request. */
  connections(): number;
  /** Connections still open right now. */
  openConnections(): number;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = { status: 200 }): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  let accepted = 0;
  let open = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        target: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      if (answer === 'hang') return;
      if ('stallAfter' in answer) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('x'.repeat(answer.stallAfter));
        return;
      }
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  });
  server.on('connection', (socket) => {
    accepted += 1;
    open += 1;
    socket.on('close', () => {
      open -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    connections: () => accepted,
    openConnections: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens: it was just released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
