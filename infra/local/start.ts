/**
 * `npm start`: the whole API on 127.0.0.1 (see runtime.ts), configured by the variables of the
 * contract's "Running it locally" table. Prints what a newcomer needs, and stops cleanly on Ctrl-C
 * or SIGTERM so that no data is lost.
 */
import { DataDirInUseError } from './data-dir';
import { LocalTableMismatchError } from './dynamodb';
import { DynamoDbLocalStartError, JavaNotFoundError } from './dynamodb-local';
import { PortInUseError } from './http-server';
import { runReconciliationPath, runRecurringPath } from './local-routes';
import { runReconciliationRoute } from './reconciliation';
import { runRecurringRoute } from './recurring';
import { type LocalRuntime, startLocalRuntime } from './runtime';
import { LocalSettingsError, localSettingsFrom } from './settings';

async function main(): Promise<void> {
  // Before the first SDK client (the table check), not only in the handlers' environment.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const settings = localSettingsFrom(process.env);
  const local = await startLocalRuntime({
    ...settings,
    localRoutes: {
      [runRecurringPath]: runRecurringRoute(),
      [runReconciliationPath]: runReconciliationRoute(),
    },
    log: (line) => console.log(line),
  });
  console.log(welcome(local));
  let stopping = false;
  const stop = (signal: string) => {
    // npm and tsx relay signals, so one Ctrl-C can arrive more than once: repeats are not a "force quit".
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight and saving data...`);
    local.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The banner: URLs, keys (local test keys, printed on purpose) and first requests to try. */
function welcome(local: LocalRuntime): string {
  const [first] = local.storefronts;
  const clearent = local.sandbox
    ? `${local.sandbox.url}   (built-in simulator, api-key: ${local.sandbox.apiKey})`
    : `${local.clearentBaseUrl}   (CLEARENT_BASE_URL)`;
  const lines = [
    '',
    'Payments API running locally: the Lambda handlers, an embedded DynamoDB, a Secrets Manager stand-in.',
    '',
    `  API               ${local.apiUrl}`,
    ...(local.demoUrl
      ? [`  Demo checkout     ${local.demoUrl}   (in a browser: pay, pay again, refund)`]
      : []),
    `  Clearent          ${clearent}`,
    `  Data              ${local.dataDir ?? 'in memory'}   (kept across restarts; delete it to start afresh)`,
    ...local.storefronts.map(({ storefrontId, apiKey }) => `  Storefront key    ${storefrontId}: ${apiKey}`),
    '',
    'Try it:',
    `  curl -s ${local.apiUrl}/health`,
  ];
  if (local.sandbox && first) {
    lines.push(
      '',
      "  # a one-time card JWT, as Clearent's browser SDK gets it",
      `  JWT=$(curl -s -X POST ${local.sandbox.url}/rest/v2/mobilejwt/manual -H 'public-key: any' \\`,
      `    -H 'content-type: application/json' -H 'accept: application/json' \\`,
      `    -d '{"card":"4111111111111111","exp-date":"1228","csc":"999"}' \\`,
      `    | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).payload["mobile-jwt"].jwt')`,
      '',
      '  # a $25.55 sale with it, saving the card to customer cus_42',
      `  curl -s -X POST ${local.apiUrl}/v1/sales/jwt -H 'authorization: Bearer ${first.apiKey}' \\`,
      `    -H "idempotency-key: first-sale-$(date +%s)" -H 'content-type: application/json' \\`,
      `    -d "{\\"amount\\":\\"25.55\\",\\"jwt\\":\\"$JWT\\",\\"customerId\\":\\"cus_42\\"}"`,
    );
  }
  if (local.localRoutePaths.includes(runRecurringPath)) {
    lines.push(
      '',
      '  # the scheduled recurring charges, now',
      `  curl -s -X POST ${local.apiUrl}${runRecurringPath}`,
    );
  }
  if (local.localRoutePaths.includes(runReconciliationPath)) {
    lines.push(
      '',
      '  # resolve every pending sale and refund past the settle window, now',
      `  curl -s -X POST ${local.apiUrl}${runReconciliationPath}`,
    );
  }
  if (first) {
    lines.push(
      '',
      '  # webhooks: register an endpoint on this machine, then run a receiver that verifies them',
      `  curl -s -X POST ${local.apiUrl}/v1/webhook-endpoints -H 'authorization: Bearer ${first.apiKey}' \\`,
      `    -H "idempotency-key: hooks-$(date +%s)" -H 'content-type: application/json' \\`,
      `    -d '{"url":"http://127.0.0.1:4000/hooks"}'`,
      `  WEBHOOK_SECRET=whsec_... npm run receiver`,
    );
  }
  lines.push(
    '',
    `Operators: npm run admin -- create-storefront <id> (reaches this run through ${local.dataDir ?? 'DATA_DIR'}/local-endpoints.json)`,
    '',
    'Ctrl-C stops it.',
    '',
  );
  return lines.join('\n');
}

main().catch((error: unknown) => {
  // A known setup problem needs its message only; anything else, the whole story.
  const known = [
    LocalSettingsError,
    DataDirInUseError,
    LocalTableMismatchError,
    PortInUseError,
    JavaNotFoundError,
    DynamoDbLocalStartError,
  ];
  console.error(known.some((type) => error instanceof type) ? (error as Error).message : error);
  process.exit(1);
});
