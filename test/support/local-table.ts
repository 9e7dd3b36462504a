/**
 * The application table in a local DynamoDB, and a document client on it, for store tests. Two engines:
 *
 * - `dynalite`: pure JS, in process, starts in milliseconds; what `npm start` runs without Java 17+.
 * - `dynamodb-local`: Amazon's DynamoDB Local on Java 17 (infra/local/dynamodb-local.ts, also what
 *   `npm start` runs when Java 17+ is there), about 2 s to start; the reference for what DynamoDB itself
 *   accepts and answers.
 *
 * Where they legitimately differ (a test relying on these must say so and branch on `table.engine`):
 * dynalite has no TransactWriteItems, no UpdateTimeToLive, no PartiQL, and ignores
 * `ReturnValuesOnConditionCheckFailure` (a refused write carries no `Item`); DynamoDB Local supports them.
 *
 * Store suites run their whole body on both, one table (and at most one JVM) per engine per file:
 * @example
 * describe.each(engines)('Class: DynamoThingRepository (%s)', (engine) => {
 *   let table: TestTable;
 *   beforeAll(async () => {
 *     table = await startTestTable(engine);
 *   }, testTableStartTimeoutMs);
 *   afterAll(() => table?.close());
 *   it('...', async () => { ... table.db ... table.tableName ... });
 * });
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from '../../infra/local/dynamodb';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { localCredentials, localRegion } from '../../infra/local/local-aws';

const allEngines = ['dynalite', 'dynamodb-local'] as const;

export type Engine = (typeof allEngines)[number];

/**
 * Every engine a store suite runs on, for `describe.each(engines)`. `TEST_STORE_ENGINES=dynalite` narrows
 * it (mutation testing does, to avoid a JVM start per mutant); `npm test` runs both.
 */
export const engines: readonly Engine[] = allEngines.filter(
  (engine) => process.env.TEST_STORE_ENGINES?.split(',').includes(engine) ?? true,
);

/**
 * For the beforeAll that starts a table: DynamoDB Local starts in about 2 s on two idle cores but has
 * been seen to take 20-40 s when they are shared with other work, past jest's 30 s default.
 */
export const testTableStartTimeoutMs = 120_000;

export interface TestTable {
  engine: Engine;
  db: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts `engine` in memory with the application table (the product's definition) and returns a
 * document client on it. Call it in beforeAll and close it in afterAll.
 * `dynamodb-local` needs `java` (17+): without it this rejects with JavaNotFoundError, saying how to
 * install it, so those tests fail rather than silently not run.
 */
export async function startTestTable(
  engine: Engine = 'dynalite',
  tableName = 'payments-test',
): Promise<TestTable> {
  const local =
    engine === 'dynamodb-local'
      ? await startDynamoDbLocal({ tableName, startTimeoutMs: testTableStartTimeoutMs - 10_000 })
      : await startLocalDynamoDb({ tableName });
  const client = new DynamoDBClient({
    endpoint: local.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    engine,
    db,
    tableName,
    endpoint: local.endpoint,
    close: async () => {
      client.destroy();
      await local.close();
    },
  };
}
