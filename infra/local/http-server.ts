/** Small helpers shared by the local servers: listen on loopback only, and close without cutting requests. */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Loopback only: the local runtime is never reachable from another machine. */
export const localHost = '127.0.0.1';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  /** `setting`: the variable that chooses this port (`PORT`, `SANDBOX_PORT`), named in the message. */
  constructor(
    readonly port: number,
    readonly setting?: string,
  ) {
    super(
      `port ${port} on ${localHost} is already in use: stop what uses it, or ` +
        (setting ? `set ${setting} to another port (0 picks a free one)` : 'choose another port'),
    );
  }
}

/**
 * For a server's start: a port already taken (a PortInUseError, or a bare EADDRINUSE from a server that
 * does not use listenLocally, such as the simulator's) becomes a PortInUseError naming its variable.
 * @example await startSandbox({ port }).catch(portTakenAs('SANDBOX_PORT', port));
 */
export function portTakenAs(setting: string, port: number): (error: unknown) => never {
  return (error) => {
    const taken =
      error instanceof PortInUseError || (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
    throw taken ? new PortInUseError(port, setting) : error;
  };
}

/**
 * Starts `server` on 127.0.0.1:`port` (0 picks a free port) and returns its base URL.
 * @example const url = await listenLocally(server, 0); // 'http://127.0.0.1:54321'
 */
export function listenLocally(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    server.once('error', onError);
    server.listen(port, localHost, () => {
      server.off('error', onError);
      const { port: actualPort } = server.address() as AddressInfo;
      resolve(`http://${localHost}:${actualPort}`);
    });
  });
}

/** Stops accepting connections and resolves once every open request has been answered. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

export class RequestBodyTooLargeError extends Error {
  override readonly name = 'RequestBodyTooLargeError';
}

/**
 * Reads a request body of at most `limitBytes`. Past the limit it stops reading and rejects with
 * RequestBodyTooLargeError; the caller answers 413 and the connection is closed after that answer.
 */
export function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length']) > limitBytes) {
      reject(new RequestBodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        request.off('data', onData);
        reject(new RequestBodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
