import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { LocalTableMismatchError, startLocalDynamoDb } from '../../../infra/local/dynamodb';
import { closeServer, listenLocally } from '../../../infra/local/http-server';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { tableIndexes } from '../../../shared/store/table';

const tableName = 'payments-test';

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
}

describe('Function: startLocalDynamoDb', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-dynamodb-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the application table with every index of the shared definition', async () => {
    // Act
    const dynamoDb = await startLocalDynamoDb({ tableName });
    const client = clientFor(dynamoDb.endpoint);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    client.destroy();
    await dynamoDb.close();

    // Assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      tableIndexes.map((index) => index.name).sort(),
    );
  });

  it('keeps written items across a close and a restart on the same folder', async () => {
    // Prepare
    const path = join(dataDir, 'dynamodb');
    const first = await startLocalDynamoDb({ tableName, path });
    const writer = clientFor(first.endpoint);
    await writer.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'STOREFRONT#demo' }, sk: { S: 'TXN#1' }, amountCents: { N: '2555' } },
      }),
    );
    writer.destroy();
    await first.close();

    // Act
    const second = await startLocalDynamoDb({ tableName, path });
    const reader = clientFor(second.endpoint);
    const { Item } = await reader.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'STOREFRONT#demo' }, sk: { S: 'TXN#1' } } }),
    );
    reader.destroy();
    await second.close();

    // Assess
    expect(Item?.amountCents).toEqual({ N: '2555' });
  });

  it('refuses a kept table whose indexes differ from the code, rather than failing on a query later', async () => {
    // Prepare
    const path = join(dataDir, 'dynamodb');
    const older = dynalite({ path, createTableMs: 0 });
    const client = clientFor(await listenLocally(older, 0));
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    client.destroy();
    await closeServer(older);

    // Act
    const starting = startLocalDynamoDb({ tableName, path });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(LocalTableMismatchError);
  });

  it('keeps nothing in memory mode', async () => {
    // Prepare
    const first = await startLocalDynamoDb({ tableName });
    const writer = clientFor(first.endpoint);
    await writer.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    writer.destroy();
    await first.close();

    // Act
    const second = await startLocalDynamoDb({ tableName });
    const reader = clientFor(second.endpoint);
    const { Item } = await reader.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
    );
    reader.destroy();
    await second.close();

    // Assess
    expect(Item).toBeUndefined();
  });

  it('answers queries on a secondary index', async () => {
    // Prepare
    const dynamoDb = await startLocalDynamoDb({ tableName });
    const client = clientFor(dynamoDb.endpoint);
    const [index] = tableIndexes;
    for (const sk of ['2026-11-24T10:00:00.000Z', '2026-11-25T10:00:00.000Z']) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: `TXN#${sk}` },
            sk: { S: 'TXN' },
            [index.partitionKey]: { S: 'demo' },
            [index.sortKey]: { S: sk },
          },
        }),
      );
    }

    // Act
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :storefront',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':storefront': { S: 'demo' } },
        ScanIndexForward: false,
      }),
    );
    client.destroy();
    await dynamoDb.close();

    // Assess
    expect(Items?.map((item) => item[index.sortKey]?.S)).toEqual([
      '2026-11-25T10:00:00.000Z',
      '2026-11-24T10:00:00.000Z',
    ]);
  });
});
