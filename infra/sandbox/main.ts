/**
 * `npm run sandbox`: the Clearent simulator on its own. `SANDBOX_PORT` (default 3001),
 * `SANDBOX_API_KEY` (default an obviously fake key) and `SANDBOX_DATA_DIR` (default: in memory only)
 * configure it; Ctrl-C stops it.
 */
import { SANDBOX_DEFAULT_API_KEY, SANDBOX_DEFAULT_PORT, startSandbox } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT || SANDBOX_DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SANDBOX_PORT must be a port number, got "${process.env.SANDBOX_PORT}"`);
  }
  const sandbox = await startSandbox({
    port,
    apiKey: process.env.SANDBOX_API_KEY || SANDBOX_DEFAULT_API_KEY,
    dataDir: process.env.SANDBOX_DATA_DIR || undefined,
  });
  // The key is a local test key, printed on purpose so that a developer can use it.
  console.log(`Clearent sandbox simulator listening on ${sandbox.url}`);
  console.log(`api-key: ${sandbox.apiKey}`);
  console.log(
    'Control: POST/DELETE /_sandbox/faults, GET/PUT /_sandbox/behaviour, GET /_sandbox/ledger, POST /_sandbox/reset',
  );
  const stop = (signal: string) => {
    console.log(`${signal}: stopping the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
