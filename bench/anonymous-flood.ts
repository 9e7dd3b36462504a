/**
 * Benchmark: what a flood of refused requests costs us, per request. Deployed, API Gateway invokes the
 * authorizer for every `/v1` request (uncached, no identity source: infra/constructs/api.ts), and the
 * authorizer always lets the request through to the route's function, which answers the contract's 401
 * (an HTTP API cannot shape an authorizer's refusal): two invocations per refused request. This counts,
 * for each kind of refused request, the invocations, the DynamoDB requests, and the milliseconds each
 * invocation takes once warm, running the deployed bundles (infra/bundling.ts) in this process with the
 * prod environment against the embedded DynamoDB, through a proxy counting its requests.
 *
 * Kinds: no `Authorization` header; a header that is no key; a well-formed key no storefront holds (the
 * one kind that costs a read); and a valid key over its storefront's rate limit (429).
 *
 * `npm run bench` runs it with the others; `npx tsx bench/anonymous-flood.ts` runs it alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionEnvironment } from '../infra/constructs/environment';
import { startLocalDynamoDb } from '../infra/local/dynamodb';
import { localTableName } from '../infra/local/environment';
import {
  gatewayHeaders,
  newGatewayRequestId,
  toAuthorizerEventV2,
  toProxyEventV2,
} from '../infra/local/http-api-event';
import { closeServer, listenLocally } from '../infra/local/http-server';
import { type LambdaFunctionModule, lambdaContext } from '../infra/local/lambda-context';
import { localCredentials, localRegion } from '../infra/local/local-aws';
import { matchRoute } from '../infra/local/route-matcher';
import { functionPermissions } from '../infra/permissions';
import { apiRoutes, type FunctionName } from '../infra/routes';
import { stageSettings } from '../infra/stages';
import { DynamoStorefrontRepository } from '../shared/store/storefronts';
import { buildFunctionBundle } from './bundle-build';
import { formatTable, type Summary, summarize, writeResult } from './report';

export interface FloodBenchOptions {
  /** Refused requests measured per kind, after a warm-up; default 2000. */
  requests?: number;
}

export interface FloodFigures {
  kind: string;
  /** What the route function answered, e.g. `401 missing_api_key`. */
  answer: string;
  /** Lambda invocations per refused request: the authorizer's and the route function's. */
  invocationsPerRequest: number;
  /** DynamoDB requests per refused request, counted at the proxy. */
  dynamoDbRequestsPerRequest: number;
  authorizerMs: Summary & { mean: number };
  routeMs: Summary & { mean: number };
  /** Both invocations' mean duration. */
  msPerRequest: number;
  /** Both invocations, each rounded up to the millisecond as Lambda bills them, averaged. */
  billedMsPerRequest: number;
}

export interface FloodBenchResult {
  name: 'anonymous-flood';
  node: string;
  requests: number;
  kinds: FloodFigures[];
}

const STOREFRONT = { storefrontId: 'sf_flood', apiKey: 'sk_test_flood_bench_key_not_secret' };
const WARM_UP = 50;
/** Invocations kept in the summaries' `runs` (the JSON would otherwise hold every one). */
const KEPT_RUNS = 20;

/** A proxy in front of DynamoDB counting the requests it forwards. */
async function countingProxy(target: string) {
  let count = 0;
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    count += 1;
    const forwarded = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  const endpoint = await listenLocally(server, 0);
  return { endpoint, count: () => count, close: () => closeServer(server) };
}

/** The event API Gateway gives the authorizer, and the one it then gives jwt-sale's function. */
function eventsFor(authorization: string | undefined) {
  const timeEpoch = Date.now();
  const raw = Object.entries({
    host: 'api.payments.example',
    'user-agent': 'flood',
    'content-type': 'application/json',
    'idempotency-key': `flood-${randomBytes(6).toString('hex')}`,
    ...(authorization === undefined ? {} : { authorization }),
  }).flat();
  const { headers, cookies } = gatewayHeaders(raw, { sourceIp: '203.0.113.7', localPort: 443, timeEpoch });
  const request = {
    method: 'POST',
    rawPath: '/v1/sales/jwt',
    rawQueryString: '',
    headers,
    cookies,
    body: Buffer.from(JSON.stringify({ amount: '1.00', jwt: 'x.y.z' })),
    sourceIp: '203.0.113.7',
    localPort: 443,
    protocol: 'HTTP/1.1',
    requestId: newGatewayRequestId(),
    timeEpoch,
  };
  const match = matchRoute(apiRoutes, 'POST', '/v1/sales/jwt');
  if (!match) throw new Error('no route POST /v1/sales/jwt');
  return {
    authorizer: toAuthorizerEventV2(request, match, []),
    route: (context: Record<string, unknown>) => toProxyEventV2(request, match, context),
  };
}

const summarizeWithMean = (values: number[]): Summary & { mean: number } => {
  const summary = summarize(values);
  const mean = values.reduce((total, value) => total + value, 0) / Math.max(1, values.length);
  return { ...summary, runs: summary.runs.slice(0, KEPT_RUNS), mean: Math.round(mean * 100) / 100 };
};

/** Runs the benchmark and returns its figures (prints nothing). */
export async function benchAnonymousFlood(options: FloodBenchOptions = {}): Promise<FloodBenchResult> {
  const requests = options.requests ?? 2000;
  const outdir = mkdtempSync(join(tmpdir(), 'payments-bench-flood-'));
  const dynamoDb = await startLocalDynamoDb({ tableName: localTableName });
  const proxy = await countingProxy(dynamoDb.endpoint);
  const seedClient = new DynamoDBClient({
    endpoint: dynamoDb.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const saved = { ...process.env };
  try {
    const storefronts = new DynamoStorefrontRepository(
      DynamoDBDocumentClient.from(seedClient),
      localTableName,
    );
    await storefronts.create(STOREFRONT.storefrontId, 'Flood');
    await storefronts.addApiKey(STOREFRONT.storefrontId, STOREFRONT.apiKey);

    const stage = stageSettings('prod', {});
    const environmentOf = (name: FunctionName) =>
      functionEnvironment(
        name,
        stage,
        {
          tableName: localTableName,
          recurringQueueUrl: 'https://sqs.invalid/unused',
          webhookQueueUrl: 'https://sqs.invalid/unused',
          cursorSecretName: 'unused',
        },
        functionPermissions[name],
      );
    Object.assign(process.env, environmentOf('authorizer'), environmentOf('jwt-sale'), {
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    /** A bundle of its own per copy: a function reads its environment when it loads, as at a cold start. */
    const load = async (name: FunctionName, copy: string) =>
      require((await buildFunctionBundle(name, join(outdir, copy))).path) as LambdaFunctionModule;
    const authorizer = await load('authorizer', 'prod');
    const prodRoute = await load('jwt-sale', 'prod');
    // Over the limit: one request a second, so that nearly every request of the flood is over it. What
    // a refusal costs does not depend on the rate; the few let through fail fast at the secret's read.
    Object.assign(process.env, {
      STOREFRONT_RATE_PER_SECOND: '1',
      STOREFRONT_RATE_BURST: '1',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    const limitedRoute = await load('jwt-sale', 'limited');

    const invoke = async (route: LambdaFunctionModule, authorization: string | undefined) => {
      const events = eventsFor(authorization);
      const deadline = Date.now() + 24_000;
      let started = performance.now();
      const authorized = (await authorizer.handler(
        events.authorizer,
        lambdaContext('authorizer', deadline, 1024),
      )) as {
        context: Record<string, unknown>;
      };
      const authorizerMs = performance.now() - started;
      started = performance.now();
      const answer = (await route.handler(
        events.route(authorized.context),
        lambdaContext('jwt-sale', deadline, 1024),
      )) as {
        statusCode: number;
        body: string;
      };
      return { authorizerMs, routeMs: performance.now() - started, answer };
    };

    const kinds: [kind: string, route: LambdaFunctionModule, authorization: () => string | undefined][] = [
      ['no Authorization header', prodRoute, () => undefined],
      ['a header that is no key', prodRoute, () => `Bearer ${randomBytes(24).toString('base64url')}`],
      [
        'a well-formed unknown key',
        prodRoute,
        () => `Bearer sk_live_${randomBytes(32).toString('hex').slice(0, 43)}`,
      ],
      ['a valid key over its rate limit', limitedRoute, () => `Bearer ${STOREFRONT.apiKey}`],
    ];
    const figures: FloodFigures[] = [];
    for (const [kind, route, authorization] of kinds) {
      for (let warm = 0; warm < WARM_UP; warm++) await invoke(route, authorization());
      const before = proxy.count();
      const authorizerMs: number[] = [];
      const routeMs: number[] = [];
      const answers = new Map<string, number>();
      for (let sent = 0; sent < requests; sent++) {
        const measured = await invoke(route, authorization());
        authorizerMs.push(measured.authorizerMs);
        routeMs.push(measured.routeMs);
        const code = (JSON.parse(measured.answer.body) as { error?: { code?: string } }).error?.code ?? 'ok';
        const key = `${measured.answer.statusCode} ${code}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
      const refused = [...answers].filter(([answer]) => answer.startsWith('4'));
      if (refused.reduce((total, [, count]) => total + count, 0) < requests * 0.95) {
        throw new Error(`${kind}: most requests were not refused: ${JSON.stringify([...answers])}`);
      }
      const billed = authorizerMs.map((ms, index) => Math.ceil(ms) + Math.ceil(routeMs[index] ?? 0));
      figures.push({
        kind,
        answer: [...answers]
          .map(([answer, count]) => (answers.size > 1 ? `${answer} (${count})` : answer))
          .join(', '),
        invocationsPerRequest: 2,
        dynamoDbRequestsPerRequest: Math.round(((proxy.count() - before) / requests) * 1000) / 1000,
        authorizerMs: summarizeWithMean(authorizerMs),
        routeMs: summarizeWithMean(routeMs),
        msPerRequest:
          Math.round(
            ((authorizerMs.reduce((a, b) => a + b, 0) + routeMs.reduce((a, b) => a + b, 0)) / requests) * 100,
          ) / 100,
        billedMsPerRequest: Math.round((billed.reduce((a, b) => a + b, 0) / requests) * 100) / 100,
      });
    }
    return { name: 'anonymous-flood', node: process.version, requests, kinds: figures };
  } finally {
    process.env = saved;
    seedClient.destroy();
    await proxy.close();
    await dynamoDb.close();
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function formatFloodBench(result: FloodBenchResult): string {
  const rows = result.kinds.map((figures) => [
    figures.kind,
    figures.answer,
    String(figures.invocationsPerRequest),
    figures.dynamoDbRequestsPerRequest.toFixed(3),
    `${figures.authorizerMs.median} / ${figures.authorizerMs.p90}`,
    `${figures.routeMs.median} / ${figures.routeMs.p90}`,
    figures.msPerRequest.toFixed(2),
    figures.billedMsPerRequest.toFixed(2),
  ]);
  return [
    `${result.requests} refused requests per kind, warm, one at a time (Node ${result.node})`,
    '',
    formatTable(
      [
        'refused request',
        'answer',
        'invocations',
        'DynamoDB req',
        'authorizer ms (median / p90)',
        'route fn ms (median / p90)',
        'ms / request',
        'billed ms / request',
      ],
      rows,
      new Set([2, 3, 4, 5, 6, 7]),
    ),
  ].join('\n');
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  benchAnonymousFlood().then(
    (result) => {
      console.log(formatFloodBench(result));
      console.log(`written to ${writeResult('anonymous-flood', result)}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
