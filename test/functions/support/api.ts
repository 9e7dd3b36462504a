/**
 * The harness of the payments API function tests: the local runtime (the real handlers behind the local
 * API Gateway, embedded DynamoDB, the Secrets Manager stand-in) charging through a Clearent simulator this
 * harness starts itself, so that tests can queue faults and read what the gateway received. Two
 * storefronts, and helpers for the calls every test makes.
 *
 * Handlers keep module-level singletons built from the environment at their first request, so a test
 * file starts one API (beforeAll) and keeps its tests independent with fresh customer ids and keys.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localTableName } from '../../../infra/local/environment';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { type LocalRoutes, runReconciliationPath, runRecurringPath } from '../../../infra/local/local-routes';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../infra/sandbox';
import type { ApiErrorBody } from '../../../shared/http/errors';
import type { CardResource } from '../../../shared/payments/card';
import type { TransactionResource } from '../../../shared/payments/transaction';
import { DynamoCardRepository } from '../../../shared/store/cards';
import { DynamoStorefrontRepository } from '../../../shared/store/storefronts';
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import { send } from '../../infra/local/http-client';
import { checkAnswer } from '../../support/openapi-check';

export const shopA = { storefrontId: 'shopA', apiKey: 'sk_test_shop_a_key_not_secret' };
export const shopB = { storefrontId: 'shopB', apiKey: 'sk_test_shop_b_key_not_secret' };
/** The merchant api-key the simulator accepts and both storefronts' secrets hold. */
export const clearentApiKey = 'clearent_test_api_key_not_secret';
/** Clearent's sandbox test card. */
export const TEST_CARD = '4111111111111111';

/** An error answer: `transaction` is there for declines (402) and unknown outcomes (504). */
export interface ErrorAnswer {
  error: ApiErrorBody;
  transaction?: TransactionResource;
}

export interface TransactionList {
  data: TransactionResource[];
  nextCursor: string | null;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, read as the type the test expects. */
  json<Body>(): Body;
}

export interface CallOptions {
  /** The storefront key; default shop A's. `null` sends no Authorization header. */
  apiKey?: string | null;
  /** The Idempotency-Key of a POST or PATCH; default a fresh one. `null` sends none. */
  key?: string | null;
  /** Sent as is instead of `JSON.stringify(body)`. */
  rawBody?: string;
}

export interface SavedCard {
  customerId: string;
  cardId: string;
  sale: TransactionResource;
}

export interface TestApi {
  readonly runtime: LocalRuntime;
  readonly sandbox: Sandbox;
  post(path: string, body?: unknown, options?: CallOptions): Promise<ApiResponse>;
  /** With an Idempotency-Key, like a POST. */
  patch(path: string, body?: unknown, options?: CallOptions): Promise<ApiResponse>;
  get(path: string, options?: CallOptions): Promise<ApiResponse>;
  delete(path: string, options?: CallOptions): Promise<ApiResponse>;
  /** A one-time JWT for the test card, as the browser SDK would get it. */
  jwt(): string;
  /** A JWT sale of `amount` (fields may be added or overridden). */
  jwtSale(amount: string, fields?: Record<string, unknown>, options?: CallOptions): Promise<ApiResponse>;
  /** Saves the test card to a fresh customer (or `customerId`) of shop A with an approved JWT sale. */
  saveCard(customerId?: string, options?: CallOptions): Promise<SavedCard>;
  /** `POST /_local/run-reconciliation`, as the scheduler would run it at `now` (default: the clock). */
  runReconciliation(now?: Date): Promise<ApiResponse>;
  /** `POST /_local/run-recurring`, as the scheduler would run it at `now` (default: the clock). */
  runRecurring(now?: Date): Promise<ApiResponse>;
  /** What is stored, read straight from the table. */
  readonly store: {
    transactions: DynamoTransactionRepository;
    cards: DynamoCardRepository;
    storefronts: DynamoStorefrontRepository;
    /** Every item of the table, raw. */
    scan(): Promise<Record<string, unknown>[]>;
    /** How many items the whole table holds. */
    itemCount(): Promise<number>;
  };
  close(): Promise<void>;
}

/** A fresh id for a customer, an Idempotency-Key or an order: tests never share one. */
export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 13)}`;

/** How many gateway requests (faulted ones included) the simulator has received so far. */
export function gatewayRequestTotal(sandbox: Sandbox): number {
  return Object.values(sandbox.ledger.requestCounts).reduce((total, count) => total + count, 0);
}

export interface StartApiOptions {
  /** The local API Gateway's lines (one per request, and failures with their stacks). */
  log?: (line: string) => void;
  /**
   * `GATEWAY_SETTLE_SECONDS` for the handlers (default the contract's 120): how long after a sale or
   * refund was last sent before a search that finds nothing lets it be sent again. Must be longer
   * than `clearentTimeoutMs`.
   */
  settleSeconds?: number;
  /** `CLEARENT_TIMEOUT_MS`: how long the handlers wait for one gateway call (default 5 s). */
  clearentTimeoutMs?: number;
  /**
   * The per-storefront rate limit (`STOREFRONT_RATE_PER_SECOND`, `STOREFRONT_RATE_BURST`); without it the
   * limit is off, as in `npm start` unless set.
   */
  rateLimit?: { requestsPerSecond: number; burst: number };
  /** The simulator's clock, behaviour and latency (its port and api-key are the harness's). */
  sandbox?: Pick<SandboxOptions, 'now' | 'behaviour' | 'latencyMs'>;
  /**
   * Where the handlers call Clearent instead of the simulator's URL, e.g. a proxy in front of it that a
   * test can make refuse connections. The simulator still runs, as `sandbox`.
   */
  clearentBaseUrl?: string;
  /**
   * Webhooks as `npm start` runs them (published after every request, delivered over HTTP), with this
   * retry schedule (WEBHOOK_RETRY_SCHEDULE, e.g. `1s,2s`). Without it, events are written but published
   * only when a test calls `runtime.webhooks.settle()`: suites that do not test webhooks skip the sweeps.
   */
  webhookRetrySchedule?: string;
}

/**
 * Sets the handlers' variables for this API (they read them at their first request) and returns a
 * function restoring what was there before.
 */
function setHandlerEnvironment(options: StartApiOptions): () => void {
  const variables: Record<string, number | undefined> = {
    GATEWAY_SETTLE_SECONDS: options.settleSeconds,
    CLEARENT_TIMEOUT_MS: options.clearentTimeoutMs,
    STOREFRONT_RATE_PER_SECOND: options.rateLimit?.requestsPerSecond,
    STOREFRONT_RATE_BURST: options.rateLimit?.burst,
  };
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) continue;
    previous.set(name, process.env[name]);
    process.env[name] = String(value);
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * The local-only routes, each loaded at its first call: they load the domain, whose logger reads the
 * environment when it loads, and a test may set that environment before it starts the API.
 */
const localRoutes: LocalRoutes = {
  [runRecurringPath]: (body) => {
    const recurring: typeof import('../../../infra/local/recurring') = require('../../../infra/local/recurring');
    return recurring.runRecurringRoute()(body);
  },
  [runReconciliationPath]: (body) => {
    const reconciliation: typeof import('../../../infra/local/reconciliation') = require('../../../infra/local/reconciliation');
    return reconciliation.runReconciliationRoute()(body);
  },
};

/** Starts the simulator, then the runtime wired to it, with shops A and B seeded. */
export async function startApi(options: StartApiOptions = {}): Promise<TestApi> {
  const sandbox = await startSandbox({ ...options.sandbox, port: 0, apiKey: clearentApiKey });
  const restoreEnvironment = setHandlerEnvironment(options);
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      port: 0,
      dataDir: null,
      storefronts: [shopA, shopB],
      clearentBaseUrl: options.clearentBaseUrl ?? sandbox.url,
      clearentApiKey,
      log: options.log,
      localRoutes,
      webhooks: {
        afterRequests: options.webhookRetrySchedule !== undefined,
        ...(options.webhookRetrySchedule ? { retrySchedule: options.webhookRetrySchedule } : {}),
      },
    });
  } catch (error) {
    restoreEnvironment();
    await sandbox.close();
    throw error;
  }
  const dynamoDb = new DynamoDBClient({
    endpoint: runtime.environment.AWS_ENDPOINT_URL_DYNAMODB,
    region: localRegion,
    credentials: localCredentials,
  });
  const db = DynamoDBDocumentClient.from(dynamoDb);

  const call = async (method: string, path: string, body: unknown, options: CallOptions = {}) => {
    const apiKey = options.apiKey === undefined ? shopA.apiKey : options.apiKey;
    const key = options.key === undefined ? unique('idem') : options.key;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const response = await send(`${runtime.apiUrl}${path}`, {
      method,
      headers: {
        ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
        ...((method === 'POST' || method === 'PATCH') && key !== null ? { 'idempotency-key': key } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: payload,
    });
    // Every answer a handler test receives is one the OpenAPI document describes.
    checkAnswer(method, path, response);
    return { ...response, json: <Body>() => response.json() as Body };
  };
  // Local-only routes: no authorization, no Idempotency-Key.
  const runLocal = async (path: string, now?: Date) => {
    const response = await send(`${runtime.apiUrl}${path}`, {
      method: 'POST',
      body: now === undefined ? undefined : JSON.stringify({ now: now.toISOString() }),
    });
    return { ...response, json: <Body>() => response.json() as Body };
  };

  const api: TestApi = {
    runtime,
    sandbox,
    post: (path, body, options) => call('POST', path, body, options),
    patch: (path, body, options) => call('PATCH', path, body, options),
    get: (path, options) => call('GET', path, undefined, options),
    delete: (path, options) => call('DELETE', path, undefined, options),
    jwt: () => sandbox.issueJwt(TEST_CARD, '1228'),
    jwtSale: (amount, fields = {}, options) =>
      api.post('/v1/sales/jwt', { amount, jwt: api.jwt(), ...fields }, options),
    saveCard: async (customerId = unique('cus'), options) => {
      const response = await api.jwtSale('5.00', { customerId }, options);
      if (response.status !== 201)
        throw new Error(`saving a card failed: ${response.status} ${response.text}`);
      const sale = response.json<TransactionResource>();
      return { customerId, cardId: sale.cardId ?? '', sale };
    },
    runReconciliation: (now) => runLocal(runReconciliationPath, now),
    runRecurring: (now) => runLocal(runRecurringPath, now),
    store: {
      transactions: new DynamoTransactionRepository(db, localTableName),
      cards: new DynamoCardRepository(db, localTableName),
      storefronts: new DynamoStorefrontRepository(db, localTableName),
      scan: async () => {
        const items: Record<string, unknown>[] = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await db.send(
            new ScanCommand({ TableName: localTableName, ExclusiveStartKey: startKey }),
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return items;
      },
      itemCount: async () => {
        let count = 0;
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await db.send(
            new ScanCommand({ TableName: localTableName, Select: 'COUNT', ExclusiveStartKey: startKey }),
          );
          count += page.Count ?? 0;
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return count;
      },
    },
    close: async () => {
      dynamoDb.destroy();
      try {
        await runtime.close();
      } finally {
        restoreEnvironment();
        await sandbox.close();
      }
    },
  };
  return api;
}

export type { CardResource, TransactionResource };

/** The answer to any request for a card this storefront's customer does not have. */
export const NO_SUCH_CARD = {
  error: {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: 'No such card',
    param: 'cardId',
  },
} as const;
