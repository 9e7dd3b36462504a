/**
 * The DynamoDB document client, created once per container. The endpoint comes from the standard
 * AWS SDK environment (AWS_ENDPOINT_URL_DYNAMODB locally), so handlers never know where they run.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandOutput,
  PutCommand,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { sdkLogger } from '../observability/sdk-logger';

let shared: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  shared ??= DynamoDBDocumentClient.from(new DynamoDBClient({ logger: sdkLogger }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return shared;
}

/** True when a conditional write was refused because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** Sends a conditional write; `false` when its condition did not hold (nothing was written). */
export async function sendConditional(
  db: DynamoDBDocumentClient,
  command: PutCommand | UpdateCommand,
): Promise<boolean> {
  try {
    // Two calls, because the client's `send` is typed per command.
    if (command instanceof PutCommand) await db.send(command);
    else await db.send(command);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Reads one item consistently (after our own writes); `undefined` when there is none. */
export async function readItem(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
): Promise<GetCommandOutput['Item']> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item;
}
