/**
 * The whole API on this machine, with no AWS account, no Clearent account, no Docker and no
 * network: the embedded DynamoDB, the Secrets Manager stand-in, the Clearent sandbox simulator, the
 * handlers' environment, the seeded storefronts, and the local API Gateway, started in that order and
 * closed in the reverse order.
 */
import { join, resolve } from 'node:path';
import { SANDBOX_DEFAULT_API_KEY, startSandbox } from '../sandbox';
import { startApiServer } from './api-gateway';
import { claimDataDir } from './data-dir';
import { demoCheckout, demoPath } from './demo';
import { type DynamoDbEngine, startEmbeddedDynamoDb } from './dynamodb-engine';
import { removeLocalEndpoints, writeLocalEndpoints } from './endpoints-file';
import {
  applyEnvironment,
  localCursorSecretName,
  localEnvironment,
  localSecretPrefix,
  localTableName,
} from './environment';
import type { FunctionLoader } from './function-loader';
import { portTakenAs } from './http-server';
import { localCredentials, localRegion } from './local-aws';
import type { LocalRoutes } from './local-routes';
import { startLocalSecretsManager } from './secrets-manager';
import { type StorefrontKey, seedCursorSecret, seedStorefronts } from './seed';
import { type LocalSettings, localDefaults, parseStorefrontKeys } from './settings';
import { type LocalWebhooks, type LocalWebhooksOptions, startLocalWebhooks } from './webhooks';

export interface LocalRuntimeOptions extends Partial<Omit<LocalSettings, 'dataDir'>> {
  /** Where DynamoDB and the secrets are kept; `null` keeps everything in memory (tests). Default `.data`. */
  dataDir?: string | null;
  /** Default: the real handlers of `functions/`. */
  loadFunction?: FunctionLoader;
  localRoutes?: LocalRoutes;
  lambdaTimeoutMs?: number;
  /** One line per request and per failure. Silent when absent. */
  log?: (line: string) => void;
  /** Event publishing and webhook delivery; `retrySchedule` is WEBHOOK_RETRY_SCHEDULE, e.g. `1s,2s`. */
  webhooks?: LocalWebhooksOptions & { retrySchedule?: string };
}

export interface LocalRuntime {
  readonly apiUrl: string;
  /** The built-in simulator, when CLEARENT_BASE_URL was not given. */
  readonly sandbox?: { url: string; apiKey: string };
  readonly clearentBaseUrl: string;
  readonly storefronts: readonly StorefrontKey[];
  /** Absolute; undefined in memory. */
  readonly dataDir?: string;
  /** The embedded DynamoDB running (LOCAL_DYNAMODB). */
  readonly dynamoDbEngine: DynamoDbEngine;
  /** What the handlers see, for running other tools (the admin CLI) against this runtime. */
  readonly environment: Readonly<Record<string, string>>;
  /** The local-only routes wired, e.g. `/_local/run-recurring`. */
  readonly localRoutePaths: readonly string[];
  /** The demo checkout page (`GET /demo`), acting as the first storefront; absent without storefronts. */
  readonly demoUrl?: string;
  /** Event publishing and webhook delivery on this machine. */
  readonly webhooks: LocalWebhooks;
  /** Stops in reverse order; requests in flight finish and every write reaches the disk first. */
  close(): Promise<void>;
}

/**
 * Starts everything; on a failure, stops what had started and rethrows.
 * @example const local = await startLocalRuntime({ port: 0, sandboxPort: 0, dataDir: null });
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const stack = new ShutdownStack();
  try {
    const dataDir = options.dataDir === null ? undefined : resolve(options.dataDir ?? localDefaults.dataDir);
    if (dataDir) stack.push(claimDataDir(dataDir).release);
    // dynalite unless told: tests start many runtimes, each in milliseconds; npm start passes LOCAL_DYNAMODB.
    const dynamoDb = await startEmbeddedDynamoDb({
      setting: options.dynamoDb ?? 'dynalite',
      tableName: localTableName,
      dataDir,
    });
    options.log?.(dynamoDb.description);
    stack.push(dynamoDb.close);
    const secrets = await startLocalSecretsManager({ file: dataDir && join(dataDir, 'secrets.json') });
    stack.push(secrets.close);
    const sandboxPort = options.sandboxPort ?? localDefaults.sandboxPort;
    const sandbox = options.clearentBaseUrl
      ? undefined
      : await startSandbox({
          port: sandboxPort,
          apiKey: options.sandboxApiKey,
          dataDir: dataDir && join(dataDir, 'sandbox'),
        }).catch(portTakenAs('SANDBOX_PORT', sandboxPort));
    if (sandbox) stack.push(sandbox.close);
    const clearentBaseUrl = options.clearentBaseUrl ?? sandbox?.url ?? '';
    const endpoints = {
      dynamoDbEndpoint: dynamoDb.endpoint,
      secretsManagerEndpoint: secrets.endpoint,
      clearentBaseUrl,
    };
    const environment = {
      ...localEnvironment(endpoints),
      ...(options.webhooks?.retrySchedule ? { WEBHOOK_RETRY_SCHEDULE: options.webhooks.retrySchedule } : {}),
    };
    stack.push(applyEnvironment(environment));
    const storefronts = options.storefronts ?? parseStorefrontKeys(localDefaults.storefrontKeys);
    const clearentApiKey =
      options.clearentApiKey ?? sandbox?.apiKey ?? options.sandboxApiKey ?? SANDBOX_DEFAULT_API_KEY;
    await seedStorefronts(storefronts, clearentApiKey, {
      ...endpoints,
      tableName: localTableName,
      secretPrefix: localSecretPrefix,
    });
    await seedCursorSecret(secrets.endpoint, localCursorSecretName);
    const webhooks = startLocalWebhooks({ log: options.log, ...options.webhooks });
    stack.push(webhooks.close);
    // The demo's backend calls the API over HTTP, at a URL known only once the API listens.
    let apiUrl = '';
    const [demoStorefront] = storefronts;
    const demo =
      demoStorefront &&
      demoCheckout({
        storefront: demoStorefront,
        apiUrl: () => apiUrl,
        clearentBaseUrl,
        // The simulator takes any public key; Clearent's sandbox needs the storefront's own.
        publicKey: options.clearentPublicKey ?? (sandbox ? sandboxPublicKey : undefined),
      });
    const port = options.port ?? localDefaults.port;
    const api = await startApiServer({
      afterRequest: webhooks.nudge,
      port,
      loadFunction: options.loadFunction,
      localRoutes: { ...demo?.routes, ...options.localRoutes },
      localPages: demo?.pages,
      lambdaTimeoutMs: options.lambdaTimeoutMs,
      log: options.log,
    }).catch(portTakenAs('PORT', port));
    stack.push(api.close);
    apiUrl = api.url;
    if (dataDir) {
      writeLocalEndpoints(dataDir, {
        tableName: localTableName,
        region: localRegion,
        credentials: localCredentials,
        dynamodb: dynamoDb.endpoint,
        secretsManager: secrets.endpoint,
        secretPrefix: localSecretPrefix,
      });
      stack.push(() => removeLocalEndpoints(dataDir));
    }
    return {
      apiUrl: api.url,
      sandbox: sandbox && { url: sandbox.url, apiKey: sandbox.apiKey },
      clearentBaseUrl,
      storefronts,
      dataDir,
      dynamoDbEngine: dynamoDb.engine,
      environment,
      localRoutePaths: Object.keys(options.localRoutes ?? {}),
      demoUrl: demo && `${api.url}${demoPath}`,
      webhooks,
      close: () => stack.unwind(),
    };
  } catch (error) {
    await stack.unwind().catch(() => {});
    throw error;
  }
}

/** The public key the demo page gives the simulator's SDK stand-in, which accepts any. */
const sandboxPublicKey = 'sandbox_public_key_not_a_secret';

/** What to undo, in reverse order of doing; every step is tried even when an earlier one fails. */
class ShutdownStack {
  private readonly steps: (() => Promise<void> | void)[] = [];

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async unwind(): Promise<void> {
    const failures: unknown[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'the local runtime did not stop cleanly');
  }
}
