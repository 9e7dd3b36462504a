/** Webhook endpoints in DynamoDB: one partition per storefront, one item per endpoint (no secret in it). */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { WebhookEndpoint } from '../webhooks/endpoint';
import type { EndpointStore } from '../webhooks/ports';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';

const fromItem = (item: Record<string, unknown>): WebhookEndpoint => {
  const { pk: _pk, sk: _sk, ...endpoint } = item;
  return endpoint as unknown as WebhookEndpoint;
};

export class DynamoEndpointStore implements EndpointStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(endpoint: WebhookEndpoint): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.webhookEndpoint(endpoint.storefrontId, endpoint.id), ...endpoint },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(storefrontId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const item = await readItem(this.db, this.tableName, keys.webhookEndpoint(storefrontId, endpointId));
    return item ? fromItem(item) : undefined;
  }

  async list(storefrontId: string): Promise<WebhookEndpoint[]> {
    const endpoints: WebhookEndpoint[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :we)',
          ExpressionAttributeValues: { ':pk': keys.webhookEndpoints(storefrontId), ':we': 'WE#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      endpoints.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return endpoints.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async delete(storefrontId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.webhookEndpoint(storefrontId, endpointId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? fromItem(Attributes) : undefined;
  }

  async disable(storefrontId: string, endpointId: string, reason: 'gone', at: string): Promise<void> {
    await sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhookEndpoint(storefrontId, endpointId),
        UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, disabledAt = :at',
        ConditionExpression: '#status = :enabled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':disabled': 'disabled',
          ':enabled': 'enabled',
          ':reason': reason,
          ':at': at,
        },
      }),
    );
  }

  async setFailingSince(storefrontId: string, endpointId: string, since: string | undefined): Promise<void> {
    // Only the start of a run of failures is kept: a later failure does not move it.
    const command =
      since === undefined
        ? { UpdateExpression: 'REMOVE failingSince', ConditionExpression: 'attribute_exists(failingSince)' }
        : {
            UpdateExpression: 'SET failingSince = :since',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(failingSince)',
            ExpressionAttributeValues: { ':since': since },
          };
    await sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhookEndpoint(storefrontId, endpointId),
        ...command,
      }),
    );
  }
}
