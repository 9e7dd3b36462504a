/**
 * A TCP proxy in front of the Clearent simulator (`startApi({ clearentBaseUrl: proxy.url })`), so that a
 * test can make the gateway refuse connections, as an unreachable Clearent does, and then take them
 * again on the same address.
 */
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export interface GatewayProxy {
  /** e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Where connections go; set it once the simulator runs. */
  target: string | undefined;
  /** Stops listening and cuts every open connection: the next requests are refused. */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

export async function startGatewayProxy(): Promise<GatewayProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  let server: Server;
  let port = 0;
  let target: string | undefined;
  const forward = (client: Socket) => {
    track(client);
    if (!target) {
      client.destroy();
      return;
    }
    const { hostname, port: targetPort } = new URL(target);
    const upstream = connect(Number(targetPort), hostname);
    track(upstream);
    // Each side's end is passed on by the pipes; a side gone without ending takes the other with it.
    client.pipe(upstream).pipe(client);
    client.on('close', (hadError) => hadError && upstream.destroy());
    upstream.on('close', (hadError) => hadError && client.destroy());
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(forward);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const closeServer = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    get target() {
      return target;
    },
    set target(url) {
      target = url;
    },
    refuse: closeServer,
    accept: listen,
    close: closeServer,
  };
}
