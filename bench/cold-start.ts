/**
 * One cold start of one function: a fresh `node` process (bench/child-invoke.ts) that requires the
 * bundle and answers one request, with the function's environment and nothing inherited.
 */
import { spawn } from 'node:child_process';
import type { FunctionName } from '../infra/routes';
import type { ChildReport, ColdStart } from './child-invoke';

export class ColdStartFailedError extends Error {
  override readonly name = 'ColdStartFailedError';
}

const CHILD_TIMEOUT_MS = 30_000;
// Enough of the handler's own log lines to see why a run failed.
const KEPT_OUTPUT_CHARS = 4_000;

export interface ColdStartRequest {
  childScript: string;
  bundlePath: string;
  name: FunctionName;
  event: unknown;
  environment: Record<string, string>;
}

/** Runs the child and resolves with its timings; rejects with its output when it failed. */
export function measureColdStart(request: ColdStartRequest): Promise<ColdStart> {
  const { childScript, bundlePath, name, event, environment } = request;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, bundlePath, name, JSON.stringify(event)], {
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let result = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      result += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const failed = (why: string) =>
        reject(new ColdStartFailedError(`${name}: ${why}\n--- its output ---\n${output}`));
      if (result === '') {
        failed(`the child ended (${signal ?? `exit ${code}`}) without a result`);
        return;
      }
      const report = JSON.parse(result) as ChildReport;
      if ('error' in report) failed(report.error);
      else resolve(report.coldStart);
    });
  });
}
