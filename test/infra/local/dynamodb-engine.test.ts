import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../../infra/local/dynamodb';
import { chooseDynamoDbEngine, startEmbeddedDynamoDb } from '../../../infra/local/dynamodb-engine';
import { JavaNotFoundError } from '../../../infra/local/dynamodb-local';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { startLocalRuntime } from '../../../infra/local/runtime';

const scratch = () => mkdtempSync(join(tmpdir(), 'dynamodb-engine-'));

/** A folder holding a `java` that only reports `version` (as `java -version` does, on stderr). */
function fakeJava(version: string): string {
  const dir = scratch();
  const java = join(dir, 'java');
  writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${version}" 2024-01-16' >&2\n`);
  chmodSync(java, 0o755);
  return dir;
}

/** No java anywhere: an empty PATH folder and no JAVA_HOME. */
const withoutJava = () => ({ PATH: scratch() });

describe('Function: chooseDynamoDbEngine', () => {
  it('falls back to dynalite without Java, and says why', () => {
    expect(chooseDynamoDbEngine('auto', withoutJava())).toEqual({
      engine: 'dynalite',
      reason: "no Java found; Java 17 or later would run Amazon's DynamoDB Local",
    });
  });

  it.each([
    ['11.0.22', 11],
    ['1.8.0_392', 8],
  ])('falls back to dynalite on Java %s, naming its version', (version, major) => {
    expect(chooseDynamoDbEngine('auto', { PATH: fakeJava(version) })).toEqual({
      engine: 'dynalite',
      reason: `Java ${major} found; Amazon's DynamoDB Local needs Java 17 or later`,
    });
  });

  it('chooses DynamoDB Local on Java 17 or later, from JAVA_HOME before PATH', () => {
    // Prepare
    const home = scratch();
    mkdirSync(join(home, 'bin'));
    writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\necho 'openjdk version "21.0.2"' >&2\n`);
    chmodSync(join(home, 'bin', 'java'), 0o755);

    // Act
    const choice = chooseDynamoDbEngine('auto', { JAVA_HOME: home, PATH: fakeJava('11.0.22') });

    // Assess
    expect(choice).toEqual({ engine: 'dynamodb-local', reason: 'Java 21 found' });
  });

  it.each(['dynalite', 'dynamodb-local'] as const)('takes LOCAL_DYNAMODB=%s as it is', (engine) => {
    expect(chooseDynamoDbEngine(engine, withoutJava())).toEqual({
      engine,
      reason: `LOCAL_DYNAMODB=${engine}`,
    });
  });
});

describe('Function: startEmbeddedDynamoDb', () => {
  it('runs dynalite in DATA_DIR/dynamodb without Java, in one line that says so and how to choose', async () => {
    // Prepare
    const dataDir = scratch();

    // Act
    const db = await startEmbeddedDynamoDb({
      setting: 'auto',
      tableName: 'payments-local',
      dataDir,
      environment: withoutJava(),
    });
    await db.close();

    // Assess
    expect(db.engine).toBe('dynalite');
    expect(db.description).toBe(
      "DynamoDB: dynalite (no Java found; Java 17 or later would run Amazon's DynamoDB Local), " +
        `data in ${join(dataDir, 'dynamodb')}; LOCAL_DYNAMODB=dynalite|dynamodb-local chooses`,
    );
    expect(db.description).not.toContain('\n');
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(true);
    expect(existsSync(join(dataDir, 'dynamodb-local'))).toBe(false);
  });

  it("says that the other engine's data is in DATA_DIR but not read", async () => {
    // Prepare
    const dataDir = scratch();
    mkdirSync(join(dataDir, 'dynamodb-local'));
    writeFileSync(join(dataDir, 'dynamodb-local', 'shared-local-instance.db'), '');

    // Act
    const db = await startEmbeddedDynamoDb({ setting: 'dynalite', tableName: 'payments-local', dataDir });
    await db.close();

    // Assess
    expect(db.description).toBe(
      `DynamoDB: dynalite (LOCAL_DYNAMODB=dynalite), data in ${join(dataDir, 'dynamodb')}; ` +
        `${join(dataDir, 'dynamodb-local')} holds dynamodb-local's data, not read now`,
    );
  });

  it('refuses LOCAL_DYNAMODB=dynamodb-local without Java, saying how to install it', async () => {
    // Act
    const started = startEmbeddedDynamoDb({
      setting: 'dynamodb-local',
      tableName: 'payments-local',
      environment: withoutJava(),
    });

    // Assess
    await expect(started).rejects.toThrow(JavaNotFoundError);
    await expect(started).rejects.toThrow(/Java 17 or newer\. Install it with/);
  });

  it('refuses a Java older than 17 for LOCAL_DYNAMODB=dynamodb-local', async () => {
    await expect(
      startEmbeddedDynamoDb({
        setting: 'dynamodb-local',
        tableName: 'payments-local',
        environment: { PATH: fakeJava('11.0.22') },
      }),
    ).rejects.toThrow(/is Java 11\. DynamoDB Local needs Java 17/);
  });
});

describe('Function: startLocalRuntime, on DynamoDB Local', () => {
  it('keeps its data in DATA_DIR/dynamodb-local across restarts, in the table dynalite would have', async () => {
    // Prepare
    const dataDir = scratch();
    const lines: string[] = [];
    const start = () =>
      startLocalRuntime({
        port: 0,
        sandboxPort: 0,
        dataDir,
        dynamoDb: 'dynamodb-local',
        storefronts: [{ storefrontId: 'shop1', apiKey: 'sk_test_shop_key_not_secret' }],
        loadFunction: async () => ({ handler: async () => ({ statusCode: 200 }) }),
        log: (line) => lines.push(line),
      });
    const client = (endpoint: string) =>
      new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
    const key = { pk: { S: 'TEST#1' }, sk: { S: 'TEST#1' } };

    // Act: write, stop, start again, read.
    const first = await start();
    const writer = client(first.environment.AWS_ENDPOINT_URL_DYNAMODB ?? '');
    await writer.send(
      new PutItemCommand({ TableName: 'payments-local', Item: { ...key, kept: { S: 'yes' } } }),
    );
    writer.destroy();
    await first.close();
    const second = await start();
    const reader = client(second.environment.AWS_ENDPOINT_URL_DYNAMODB ?? '');
    const { Item } = await reader.send(new GetItemCommand({ TableName: 'payments-local', Key: key }));
    const { Table } = await reader.send(new DescribeTableCommand({ TableName: 'payments-local' }));
    const { TimeToLiveDescription } = await reader.send(
      new DescribeTimeToLiveCommand({ TableName: 'payments-local' }),
    );
    reader.destroy();
    await second.close();

    // Assess
    expect(second.dynamoDbEngine).toBe('dynamodb-local');
    expect(lines[0]).toBe(
      `DynamoDB: Amazon's DynamoDB Local (LOCAL_DYNAMODB=dynamodb-local), data in ${join(dataDir, 'dynamodb-local')}`,
    );
    expect(Item?.kept).toEqual({ S: 'yes' });
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(false);
    const definition = tableDefinition('payments-local');
    expect(Table?.KeySchema).toEqual(definition.KeySchema);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema]).sort()).toEqual(
      definition.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema]).sort(),
    );
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  }, 180_000);
});
