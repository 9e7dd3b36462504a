/**
 * The local AWS and Clearent that the cold-start benchmark's functions answer against: the embedded
 * DynamoDB (in memory), the Secrets Manager stand-in, the Clearent simulator and an SQS stub, seeded
 * with one storefront, its Clearent secret, an approved sale that saved a card, and one due
 * subscription per worker run.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient as DocumentClient, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionEnvironment } from '../infra/constructs/environment';
import { startLocalDynamoDb } from '../infra/local/dynamodb';
import { localEnvironment, localSecretPrefix, localTableName } from '../infra/local/environment';
import { localCredentials, localRegion } from '../infra/local/local-aws';
import { startLocalSecretsManager } from '../infra/local/secrets-manager';
import { seedStorefronts } from '../infra/local/seed';
import type { FunctionName } from '../infra/routes';
import { type Sandbox, startSandbox } from '../infra/sandbox';
import { stageSettings } from '../infra/stages';
import { createClearentClient } from '../shared/clearent/client';
import { randomIds } from '../shared/ids';
import { parseAmount } from '../shared/money';
import { runIdempotent } from '../shared/payments/idempotent-operation';
import type { PaymentsPorts } from '../shared/payments/ports';
import { jwtSale } from '../shared/payments/sale';
import { DynamoCardRepository } from '../shared/store/cards';
import { DynamoIdempotencyRepository } from '../shared/store/idempotency';
import { DynamoSubscriptionRepository } from '../shared/store/subscriptions';
import { DynamoTransactionRepository } from '../shared/store/transactions';
import { startOfDayUtc } from '../shared/subscriptions/schedule';
import { type SqsStub, startSqsStub } from './sqs-stub';

export const BENCH_STOREFRONT = { storefrontId: 'sf_bench', apiKey: 'sk_test_bench_key_not_secret' };
export const BENCH_CUSTOMER = 'cus_bench';

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

export interface ColdStartWorld {
  readonly sandbox: Sandbox;
  readonly sqs: SqsStub;
  readonly seeded: Seeded;
  readonly subscriptions: DynamoSubscriptionRepository;
  /** The function's environment in the prod stack, its AWS and Clearent endpoints pointed at the stand-ins. */
  environmentOf(name: FunctionName): Record<string, string>;
  close(): Promise<void>;
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
    const dynamoDb = await startLocalDynamoDb({ tableName: localTableName });
    closers.push(dynamoDb.close);
    const secrets = await startLocalSecretsManager({});
    closers.push(secrets.close);
    const sandbox = await startSandbox({ port: 0 });
    closers.push(sandbox.close);
    const sqs = await startSqsStub();
    closers.push(sqs.close);

    await seedStorefronts([BENCH_STOREFRONT], sandbox.apiKey, {
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableName: localTableName,
      secretsManagerEndpoint: secrets.endpoint,
      secretPrefix: localSecretPrefix,
    });
    const dynamoDbClient = new DynamoDBClient({
      endpoint: dynamoDb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    closers.push(async () => dynamoDbClient.destroy());
    // The handlers' marshalling (shared/store/dynamo.ts): optional fields are left out, not stored as null.
    const db = DocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });
    const subscriptions = new DynamoSubscriptionRepository(db, localTableName);
    const seeded = await seed(db, sandbox, subscriptions, runs);

    const local = localEnvironment({
      dynamoDbEndpoint: dynamoDb.endpoint,
      secretsManagerEndpoint: secrets.endpoint,
      clearentBaseUrl: sandbox.url,
    });
    // Metrics stay on, as in Lambda: publishing them is part of a request's work.
    const { POWERTOOLS_METRICS_DISABLED: _metricsDisabled, ...localEndpoints } = local;
    const stage = stageSettings('prod', {});
    const environmentOf = (name: FunctionName) => ({
      ...functionEnvironment(name, stage, {
        tableName: localTableName,
        recurringQueueUrl: sqs.queueUrl,
        // A name only: the local Secrets Manager must hold it for a cold list to sign its cursor.
        cursorSecretName: 'payments/bench/cursor-signing',
      }),
      ...localEndpoints,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    });
    return { sandbox, sqs, seeded, subscriptions, environmentOf, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function seed(
  db: DynamoDBDocumentClient,
  sandbox: Sandbox,
  subscriptions: DynamoSubscriptionRepository,
  runs: number,
): Promise<Seeded> {
  const { storefrontId } = BENCH_STOREFRONT;
  const ports: PaymentsPorts = {
    // The bench never lists: a cursor codec is never asked for.
    transactions: new DynamoTransactionRepository(db, localTableName, async () => {
      throw new Error('the bench does not list');
    }),
    cards: new DynamoCardRepository(db, localTableName),
    idempotency: new DynamoIdempotencyRepository(db, localTableName, 3600),
    gateway: async () =>
      createClearentClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 5000 }),
    clock: { now: () => new Date() },
    ids: randomIds,
    timing: { lockMs: 30_000, settleWindowMs: 120_000 },
  };
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
