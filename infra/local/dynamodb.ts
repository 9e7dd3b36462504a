/**
 * dynalite, the pure-JS embedded DynamoDB (LevelDB underneath) on 127.0.0.1, keeping its data in a
 * folder across restarts, or in memory for tests; and the application table, which it and DynamoDB Local
 * (dynamodb-local.ts) both create from the same definition the CDK stack uses (`ensureTable`).
 * `npm start` picks one of the two: dynamodb-engine.ts.
 *
 * Not emulated by dynalite, so absent locally: TransactWriteItems, UpdateTimeToLive (idempotency
 * records therefore never expire locally), PartiQL, ReturnValuesOnConditionCheckFailure.
 */

import { createRequire } from 'node:module';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tableIndexes, tableKeys, timeToLiveAttribute } from '../../shared/store/table';
import { closeServer, listenLocally } from './http-server';
import { localCredentials, localRegion } from './local-aws';

/**
 * dynalite reads through Node streams over abstract-level iterators and closes an iterator, when its
 * stream is destroyed, with `iterator.return()`, which abstract-level's iterators do not have (they have
 * `close()`). So no Query's iterator was ever closed, and each one kept its snapshot: a long local
 * session grew by about 10-50 KB per query (6,000 queries: 110 → 206 MB; 18,000: → 279 MB; with this,
 * 157 and 162 MB). Giving the iterators the `return()` dynalite calls closes them.
 */
export function closeDynaliteIterators(): void {
  // The abstract-level dynalite itself loads (a dependency of its own, not of ours).
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const level = fromDynalite(fromDynalite.resolve('abstract-level')) as Record<
    'AbstractIterator' | 'AbstractKeyIterator' | 'AbstractValueIterator',
    { prototype: object }
  >;
  for (const type of [level.AbstractIterator, level.AbstractKeyIterator, level.AbstractValueIterator]) {
    const prototype = type.prototype as { return?: () => Promise<void>; close(): Promise<void> };
    if (typeof prototype.return !== 'function') {
      prototype.return = function (this: { close(): Promise<void> }) {
        return this.close();
      };
    }
  }
}

closeDynaliteIterators();

export interface LocalDynamoDbOptions {
  tableName: string;
  /** Folder for the LevelDB files; in memory when absent. */
  path?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface LocalDynamoDb {
  /** For AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint: string;
  /** Waits for pending writes and closes the LevelDB files, so nothing is lost. */
  close(): Promise<void>;
}

export class LocalTableMismatchError extends Error {
  override readonly name = 'LocalTableMismatchError';
}

/**
 * Starts dynalite and makes sure the application table exists.
 * @example const db = await startLocalDynamoDb({ tableName: 'payments-local', path: '.data/dynamodb' });
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = await listenLocally(server, options.port ?? 0);
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    await ensureTable(client, options.tableName);
  } catch (error) {
    await closeServer(server);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, close: () => closeServer(server) };
}

/** The application table as the CDK stack defines it: string keys, every index projecting all attributes. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const keyNames = new Set<string>([tableKeys.partitionKey, tableKeys.sortKey]);
  for (const index of tableIndexes) {
    keyNames.add(index.partitionKey);
    keyNames.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/**
 * Creates the application table from `tableDefinition` (and turns its TTL on, where the engine has TTL),
 * or checks that the one kept in the data folder has the indexes the code expects. Both local engines
 * make their table here, so they hold the same table.
 * @throws LocalTableMismatchError for a kept table of an older layout.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: { timeToLive?: boolean } = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await assertSameIndexes(client, tableName);
    return;
  }
  await waitUntilActive(client, tableName);
  if (options.timeToLive) {
    // The stack's TTL attribute; dynalite has no UpdateTimeToLive (its records never expire locally).
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** dynalite cannot add an index to an existing table, so a table kept from an older layout must be rebuilt. */
async function assertSameIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const existing = (Table?.GlobalSecondaryIndexes ?? [])
    .map((index) =>
      describeIndex(
        index.IndexName ?? '',
        (index.KeySchema ?? []).map((k) => k.AttributeName),
      ),
    )
    .sort();
  const expected = tableIndexes
    .map((index) => describeIndex(index.name, [index.partitionKey, index.sortKey]))
    .sort();
  if (existing.join() !== expected.join()) {
    throw new LocalTableMismatchError(
      `the local table ${tableName} has indexes [${existing.join(', ')}] but the code expects ` +
        `[${expected.join(', ')}]; delete the DATA_DIR folder to recreate it (local data is lost)`,
    );
  }
}

function describeIndex(name: string, keyNames: (string | undefined)[]): string {
  return `${name}(${keyNames.join(', ')})`;
}
