/**
 * The Clearent simulator in its own thread, for benchmarks: the gateway's work then runs on another
 * core, as Clearent's does on Clearent's machines, and the figure measures our side only.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type SandboxOptions, startSandbox } from '../infra/sandbox';

export interface SandboxThread {
  readonly url: string;
  readonly apiKey: string;
  /** Approved sales the simulator recorded. */
  chargeCount(): Promise<number>;
  close(): Promise<void>;
}

type Reply = { url: string; apiKey: string } | { chargeCount: number };

/** Starts the simulator in a worker thread; resolves once it listens on 127.0.0.1. */
export async function startSandboxThread(options: SandboxOptions = {}): Promise<SandboxThread> {
  // The thread loads this TypeScript file through tsx's require hook, as the benchmark itself is loaded.
  const bootstrap = `require('tsx/cjs'); require(${JSON.stringify(__filename)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: options });
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const started = await next();
  if (!('url' in started)) throw new Error('the sandbox thread did not start');
  return {
    url: started.url,
    apiKey: started.apiKey,
    chargeCount: async () => {
      const reply = next();
      worker.postMessage('chargeCount');
      const answer = await reply;
      return 'chargeCount' in answer ? answer.chargeCount : Number.NaN;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

async function serve(): Promise<void> {
  const sandbox = await startSandbox(workerData as SandboxOptions);
  parentPort?.on('message', () => parentPort?.postMessage({ chargeCount: sandbox.ledger.chargeCount }));
  parentPort?.postMessage({ url: sandbox.url, apiKey: sandbox.apiKey });
}

if (!isMainThread) void serve();
