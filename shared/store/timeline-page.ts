/**
 * One page of a newest-first timeline: a partition of a generic index read backwards, from where the
 * signed cursor (./cursor.ts) says the last page ended, and the signed cursor of the next page (`null`
 * at the end). The transactions' and the events' lists are both this query.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type CursorCodec, startKeyOf } from './cursor';
import type { IndexName } from './table';

export interface TimelinePageQuery {
  indexName: IndexName;
  partitionKey: string;
  partitionValue: string;
  limit: number;
  cursor?: string;
  /** A condition every item of the page meets (a FilterExpression), with the values it names. */
  filter?: { expression: string; values: Record<string, unknown> };
}

/** @throws InvalidCursorError for a cursor this very timeline did not hand out. */
export async function timelinePage(
  db: DynamoDBDocumentClient,
  tableName: string,
  codec: CursorCodec,
  query: TimelinePageQuery,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const { indexName, partitionKey, partitionValue, filter } = query;
  const { Items = [], LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk',
      ...(filter ? { FilterExpression: filter.expression } : {}),
      ExpressionAttributeNames: { '#pk': partitionKey },
      ExpressionAttributeValues: { ':pk': partitionValue, ...filter?.values },
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: startKeyOf(codec, query.cursor, partitionKey, partitionValue),
    }),
  );
  return { items: Items, nextCursor: codec.encode(LastEvaluatedKey) };
}
