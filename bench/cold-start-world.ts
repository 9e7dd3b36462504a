/**
 * The local AWS and Clearent that the cold-start benchmark's functions answer against: the embedded
 * DynamoDB (in memory), the Secrets Manager stand-in, the Clearent simulator, an SQS stub and a webhook
 * receiver, seeded with one storefront, its Clearent secret and the cursor-signing secret, an approved
 * sale that saved a card (its events published), one due subscription per worker run, and a webhook
 * endpoint.
 */
import { createServer } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient as DocumentClient, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionEnvironment, storefrontSecretPrefix } from '../infra/constructs/environment';
import { startLocalDynamoDb } from '../infra/local/dynamodb';
import { localTableName } from '../infra/local/environment';
import { closeServer, listenLocally } from '../infra/local/http-server';
import { localAccountId, localCredentials, localRegion } from '../infra/local/local-aws';
import { startLocalSecretsManager } from '../infra/local/secrets-manager';
import { seedCursorSecret, seedStorefronts } from '../infra/local/seed';
import { functionPermissions } from '../infra/permissions';
import type { FunctionName } from '../infra/routes';
import { type Sandbox, startSandbox } from '../infra/sandbox';
import { type StageSettings, stageSettings } from '../infra/stages';
import { createClearentClient } from '../shared/clearent/client';
import { randomIds } from '../shared/ids';
import { parseAmount } from '../shared/money';
import { runIdempotent } from '../shared/payments/idempotent-operation';
import type { PaymentsPorts } from '../shared/payments/ports';
import { jwtSale } from '../shared/payments/sale';
import { clearentSecretName } from '../shared/secrets/clearent-credentials';
import { DynamoCardRepository } from '../shared/store/cards';
import { createCursorCodec } from '../shared/store/cursor';
import { DynamoEventStore } from '../shared/store/events';
import { DynamoIdempotencyRepository } from '../shared/store/idempotency';
import { keys } from '../shared/store/keys';
import { DynamoOutboxStore } from '../shared/store/outbox';
import { DynamoSubscriptionRepository } from '../shared/store/subscriptions';
import { DynamoTransactionRepository } from '../shared/store/transactions';
import { DynamoDeliveryStore } from '../shared/store/webhook-deliveries';
import { DynamoEndpointStore } from '../shared/store/webhook-endpoints';
import { startOfDayUtc } from '../shared/subscriptions/schedule';
import type { DeliveryRef } from '../shared/webhooks/delivery';
import { createEndpoint } from '../shared/webhooks/endpoints';
import type { ItemKey, WebhookPorts } from '../shared/webhooks/ports';
import { relayOutbox } from '../shared/webhooks/relay';
import type { FloorEvent } from './floor';
import { type SqsStub, startSqsStub } from './sqs-stub';

export const BENCH_STOREFRONT = { storefrontId: 'sf_bench', apiKey: 'sk_test_bench_key_not_secret' };
export const BENCH_CUSTOMER = 'cus_bench';
/** The seeded webhook endpoint: it wants `sale.declined` only, which no benchmarked request causes. */
export const BENCH_ENDPOINT = 'we_bench';

/** What the seed created, for the events to refer to. */
export interface Seeded {
  /** An approved sale of 100.00, refundable a dollar at a time. */
  saleId: string;
  /** The card that sale saved to BENCH_CUSTOMER. */
  cardId: string;
  /** ISO start of the period the worker's subscriptions are due for. */
  periodStart: string;
  /** Subscription id of worker run `run`: each run charges a subscription of its own. */
  workerSubscription(run: number): string;
}

/** A declined sale whose outbox holds its `sale.declined` event, not yet published. */
export interface RelayWork {
  /** The transaction item: what the table's stream would hand `events-relay`. */
  key: ItemKey;
  /** Its event: once published, one delivery to BENCH_ENDPOINT, for `webhook-delivery`. */
  delivery: DeliveryRef;
}

export interface ColdStartWorld {
  readonly sandbox: Sandbox;
  readonly sqs: SqsStub;
  readonly seeded: Seeded;
  readonly subscriptions: DynamoSubscriptionRepository;
  /** What the bench reads back to check an answer. */
  readonly webhooks: Pick<WebhookPorts, 'events' | 'deliveries'>;
  /** POSTs the webhook receiver answered so far. */
  webhooksReceived(): number;
  /**
   * The relay work of run `run`, made (a declined sale through the domain, as the API makes one) the
   * first time it is asked for: `events-relay` publishes it, the sweep queues its delivery, and
   * `webhook-delivery` delivers it, so each round of the benchmark does the same webhook work.
   */
  relayWork(run: number): Promise<RelayWork>;
  /**
   * The function's environment as the prod stack gives it (infra/constructs/environment.ts, NODE_OPTIONS
   * included), with the variables Lambda itself sets, its AWS and Clearent endpoints pointed at the
   * stand-ins; plus WEBHOOK_ALLOW_LOOPBACK, so that webhooks may go to the local receiver.
   */
  environmentOf(name: FunctionName): Record<string, string>;
  /** What a function's floor reads: an existing item, the storefront's secret, the function's queue. */
  floorEventOf(name: FunctionName): FloorEvent;
  close(): Promise<void>;
}

/** The variables Lambda sets in every function's environment that the SDK or Powertools read. */
function lambdaRuntimeEnvironment(name: FunctionName, stage: StageSettings): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(stage.functionMemoryMb),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    TZ: ':UTC',
  };
}

/** A webhook endpoint of the storefront's: answers every POST 200 and counts them. */
async function startWebhookReceiver() {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += request.method === 'POST' ? 1 : 0;
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
  });
  const endpoint = await listenLocally(server, 0);
  return { url: `${endpoint}/webhooks`, received: () => received, close: () => closeServer(server) };
}

/**
 * Starts the stand-ins and seeds them for `runs` runs of every function.
 * @example const world = await startColdStartWorld(7); ...; await world.close();
 */
export async function startColdStartWorld(runs: number): Promise<ColdStartWorld> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne();
  };
  try {
    const stage = stageSettings('prod', {});
    const secretPrefix = storefrontSecretPrefix(stage);
    const cursorSecretName = '/payments/bench/cursor-signing';
    const dynamoDb = await startLocalDynamoDb({ tableName: localTableName });
    closers.push(dynamoDb.close);
    const secrets = await startLocalSecretsManager({});
    closers.push(secrets.close);
    const sandbox = await startSandbox({ port: 0 });
    closers.push(sandbox.close);
    const sqs = await startSqsStub();
    closers.push(sqs.close);
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);

    // Under the prod stage's prefix: the environment below is the prod one.
    await seedStorefronts([BENCH_STOREFRONT], sandbox.apiKey, {
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableName: localTableName,
      secretsManagerEndpoint: secrets.endpoint,
      secretPrefix,
    });
    await seedCursorSecret(secrets.endpoint, cursorSecretName);
    const clientSettings = { region: localRegion, credentials: localCredentials };
    const dynamoDbClient = new DynamoDBClient({ ...clientSettings, endpoint: dynamoDb.endpoint });
    closers.push(async () => dynamoDbClient.destroy());
    const secretsClient = new SecretsManagerClient({ ...clientSettings, endpoint: secrets.endpoint });
    closers.push(async () => secretsClient.destroy());
    // The handlers' marshalling (shared/store/dynamo.ts): optional fields are left out, not stored as null.
    const db = DocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });
    const subscriptions = new DynamoSubscriptionRepository(db, localTableName);
    const ports = paymentsPorts(db, sandbox);
    const seeded = await seed(ports, sandbox, subscriptions, runs);

    // The webhook side, as deployed, for the relay this process runs and the checks of the answers.
    const { storefrontId } = BENCH_STOREFRONT;
    const webhookSecretName = (store: string, endpointId: string) =>
      `${secretPrefix}${store}/webhooks/${endpointId}`; // as shared/config.ts webhookSecretName
    const cursorCodec = createCursorCodec('bench-relay-cursor-secret-never-signs'.padEnd(64, '-'));
    const webhooks = {
      outbox: new DynamoOutboxStore(db, localTableName),
      events: new DynamoEventStore(db, localTableName, async () => cursorCodec),
      endpoints: new DynamoEndpointStore(db, localTableName),
      deliveries: new DynamoDeliveryStore(db, localTableName),
      // The bench's relays only publish: their deliveries are asked for by the sweep it measures.
      queue: { send: async () => {} },
      clock: { now: () => new Date() },
    };
    await createEndpoint(
      {
        endpoints: webhooks.endpoints,
        secrets: {
          create: async (name, value) => {
            await secretsClient.send(new CreateSecretCommand({ Name: name, SecretString: value }));
          },
          read: async () => {
            throw new Error('the bench does not read webhook secrets');
          },
          remove: async () => {},
        },
        clock: webhooks.clock,
        secretName: webhookSecretName,
      },
      { storefrontId, url: receiver.url, events: ['sale.declined'] },
    ).run(BENCH_ENDPOINT, { key: 'bench-seed-endpoint', resumed: false });
    // The seed sale's events are published, so that a list of events lists some from the first run on.
    await relayOutbox(webhooks, keys.transaction(storefrontId, seeded.saleId));

    const relayWorks = new Map<number, Promise<RelayWork>>();
    const relayWork = (run: number) => {
      const work = relayWorks.get(run) ?? declinedSale(ports, webhooks.outbox, sandbox, run);
      relayWorks.set(run, work);
      return work;
    };

    const queueUrl = (name: string) => `${sqs.endpoint}/${localAccountId}/payments-bench-${name}`;
    const resources = {
      tableName: localTableName,
      recurringQueueUrl: queueUrl('recurring'),
      webhookQueueUrl: queueUrl('webhooks'),
      cursorSecretName,
    };
    const environmentOf = (name: FunctionName): Record<string, string> => ({
      ...functionEnvironment(name, stage, resources, functionPermissions[name]),
      ...lambdaRuntimeEnvironment(name, stage),
      CLEARENT_BASE_URL: sandbox.url,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      // Node 20 here, 22 in Lambda: the SDK's notice that Node 20 support ends would print in every child.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
    });
    const floorEventOf = (name: FunctionName): FloorEvent => {
      const environment = environmentOf(name);
      return {
        tableName: localTableName,
        key: keys.storefront(storefrontId),
        secretId: clearentSecretName(secretPrefix, storefrontId),
        queueUrl: environment.RECURRING_QUEUE_URL ?? environment.WEBHOOK_QUEUE_URL ?? queueUrl('floor'),
      };
    };
    return {
      sandbox,
      sqs,
      seeded,
      subscriptions,
      webhooks,
      webhooksReceived: receiver.received,
      relayWork,
      environmentOf,
      floorEventOf,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function paymentsPorts(db: DynamoDBDocumentClient, sandbox: Sandbox): PaymentsPorts {
  return {
    transactions: new DynamoTransactionRepository(db, localTableName),
    cards: new DynamoCardRepository(db, localTableName),
    idempotency: new DynamoIdempotencyRepository(db, localTableName, 3600),
    gateway: async () =>
      createClearentClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 5000 }),
    clock: { now: () => new Date() },
    ids: randomIds,
    timing: { lockMs: 30_000, settleWindowMs: 120_000 },
  };
}

/** A JWT sale of 0.21, which the simulator declines (Not Sufficient Funds), made as the API makes it. */
async function declinedSale(
  ports: PaymentsPorts,
  outbox: DynamoOutboxStore,
  sandbox: Sandbox,
  run: number,
): Promise<RelayWork> {
  const { storefrontId } = BENCH_STOREFRONT;
  const request = {
    storefrontId,
    key: `bench-declined-${run}`,
    route: 'POST /v1/sales/jwt',
    requestHash: `bench-declined-${run}`,
    idPrefix: 'txn' as const,
  };
  const operation = jwtSale(ports, {
    storefrontId,
    amount: parseAmount('0.21'),
    jwt: sandbox.issueJwt(),
    saveCard: false,
  });
  const { resourceId } = await runIdempotent(ports, request, operation);
  const key = keys.transaction(storefrontId, resourceId);
  const declined = (await outbox.read(key)).find((entry) => entry.type === 'sale.declined');
  if (!declined) throw new Error(`the declined sale ${resourceId} has no sale.declined event to publish`);
  return { key, delivery: { storefrontId, eventId: declined.id, endpointId: BENCH_ENDPOINT } };
}

async function seed(
  ports: PaymentsPorts,
  sandbox: Sandbox,
  subscriptions: DynamoSubscriptionRepository,
  runs: number,
): Promise<Seeded> {
  const { storefrontId } = BENCH_STOREFRONT;
  // The sale the API would make: through the same operation, so the stored records are the real ones.
  const request = {
    storefrontId,
    key: 'bench-seed-sale',
    route: 'POST /v1/sales/jwt',
    requestHash: 'bench-seed-sale',
    idPrefix: 'txn' as const,
  };
  const operation = jwtSale(ports, {
    storefrontId,
    amount: parseAmount('100.00'),
    jwt: sandbox.issueJwt(),
    customerId: BENCH_CUSTOMER,
    saveCard: true,
  });
  const { resourceId: saleId } = await runIdempotent(ports, request, operation);
  const sale = await ports.transactions.get(storefrontId, saleId);
  if (sale?.status !== 'approved' || sale.cardId === undefined) {
    throw new Error(`the seed sale was not approved with a saved card: ${sale?.status}`);
  }

  const periodStart = startOfDayUtc(new Date());
  const workerSubscription = (run: number) => `sub_bench${run}`;
  for (let run = 0; run < runs; run += 1) {
    await subscriptions.create({
      id: workerSubscription(run),
      storefrontId,
      status: 'active',
      customerId: BENCH_CUSTOMER,
      cardId: sale.cardId,
      amount: parseAmount('19.99'),
      interval: 'month',
      intervalCount: 1,
      anchorDay: periodStart.getUTCDate(),
      periodStart: periodStart.toISOString(),
      nextChargeAt: periodStart.toISOString(),
      failedAttempts: 0,
      createdAt: new Date().toISOString(),
    });
  }
  return { saleId, cardId: sale.cardId, periodStart: periodStart.toISOString(), workerSubscription };
}
