/** A port already taken: a one-line answer naming the variable to change, from the runtime and from npm start. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PortInUseError } from '../../../infra/local/http-server';
import { startLocalRuntime } from '../../../infra/local/runtime';

const storefronts = [{ storefrontId: 'shop1', apiKey: 'sk_test_shop_key_not_secret' }];
const loadFunction = async () => ({ handler: async () => ({ statusCode: 200 }) });

/** Something else listening on a loopback port. */
async function takePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

describe('Function: startLocalRuntime, on a port already taken', () => {
  let taken: { port: number; server: Server };

  beforeEach(async () => {
    taken = await takePort();
  });

  afterEach(async () => {
    await new Promise((done) => taken.server.close(done));
  });

  it("names SANDBOX_PORT when the simulator's port is taken", async () => {
    // Act
    const started = startLocalRuntime({ port: 0, sandboxPort: taken.port, dataDir: null, storefronts });

    // Assess
    await expect(started).rejects.toThrow(PortInUseError);
    await expect(started).rejects.toMatchObject({
      setting: 'SANDBOX_PORT',
      message: `port ${taken.port} on 127.0.0.1 is already in use: stop what uses it, or set SANDBOX_PORT to another port (0 picks a free one)`,
    });
  });

  it("names PORT when the API's port is taken, and stops what it had started", async () => {
    // Prepare: the simulator gets a port that is free, and must be free again after the failure.
    const sandbox = await takePort();
    await new Promise((done) => sandbox.server.close(done));

    // Act
    const started = startLocalRuntime({
      port: taken.port,
      sandboxPort: sandbox.port,
      dataDir: null,
      storefronts,
      loadFunction,
    });

    // Assess
    await expect(started).rejects.toMatchObject({ name: 'PortInUseError', setting: 'PORT' });
    const again = createServer();
    await new Promise<void>((done) => again.listen(sandbox.port, '127.0.0.1', done));
    await new Promise((done) => again.close(done));
  });
});

describe('Command: npm start, on a port already taken', () => {
  it('prints one line naming the variable, no stack trace, and exits 1', async () => {
    // Prepare
    const taken = await takePort();
    const root = resolve(__dirname, '../../..');

    // Act
    const { status, stdout, stderr } = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['infra/local/start.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          PORT: '0',
          SANDBOX_PORT: String(taken.port),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'ports-')),
          LOCAL_DYNAMODB: 'dynalite',
        },
      },
    );
    await new Promise((done) => taken.server.close(done));

    // Assess
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      `port ${taken.port} on 127.0.0.1 is already in use: stop what uses it, or set SANDBOX_PORT to another port (0 picks a free one)`,
    );
    expect(stdout).not.toContain('Payments API running locally');
  });
});
