/**
 * An in-memory dynalite with the application table, and a document client on it, for store tests.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from '../../infra/local/dynamodb';
import { localCredentials, localRegion } from '../../infra/local/local-aws';

export interface TestTable {
  db: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

export async function startTestTable(tableName = 'payments-test'): Promise<TestTable> {
  const local = await startLocalDynamoDb({ tableName });
  const client = new DynamoDBClient({
    endpoint: local.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    db,
    tableName,
    endpoint: local.endpoint,
    close: async () => {
      client.destroy();
      await local.close();
    },
  };
}
