/**
 * The outbox side of the state items (shared/events/outbox.ts): finding items with due entries in the
 * `work` index, and taking published entries out with a write conditioned on the outbox as read.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { OUTBOX_SHARDS, type OutboxEntry, outboxIndexEntry, outboxPartition } from '../events/outbox';
import type { ItemKey, OutboxStore } from '../webhooks/ports';
import { sendConditional } from './dynamo';

/** Items per page: each costs a relay (a few writes), and a run takes what is left the next time. */
const OUTBOX_PAGE_SIZE = 100;

export class DynamoOutboxStore implements OutboxStore {
  readonly shards = OUTBOX_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listDue(shard: number, now: string): Promise<ItemKey[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'work',
        // `workSk` is `<notBefore>#<pk>`: everything before `now` + '~' is due (every time sorts before '~').
        KeyConditionExpression: 'workPk = :shard AND workSk <= :due',
        ExpressionAttributeValues: { ':shard': outboxPartition(shard), ':due': `${now}#~` },
        ProjectionExpression: 'pk, sk',
        Limit: OUTBOX_PAGE_SIZE,
      }),
    );
    return Items.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  }

  async read(key: ItemKey): Promise<OutboxEntry[]> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ProjectionExpression: 'outbox',
        ConsistentRead: true,
      }),
    );
    return ((Item?.outbox as OutboxEntry[] | undefined) ?? []).slice();
  }

  async remove(key: ItemKey, seen: readonly OutboxEntry[], published: ReadonlySet<string>): Promise<boolean> {
    const remaining = seen.filter((entry) => !published.has(entry.id));
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':size': seen.length };
    // The outbox must still be exactly what was read: the same entries at the same places.
    const conditions = ['size(outbox) = :size'];
    seen.forEach((entry, index) => {
      conditions.push(`outbox[${index}].#id = :id${index}`);
      values[`:id${index}`] = entry.id;
    });
    names['#id'] = 'id';
    let update: string;
    if (remaining.length === 0) {
      update = 'REMOVE outbox, workPk, workSk';
    } else {
      const { workPk, workSk } = outboxIndexEntry(key.pk, remaining);
      Object.assign(values, { ':remaining': remaining, ':workPk': workPk, ':workSk': workSk });
      update = 'SET outbox = :remaining, workPk = :workPk, workSk = :workSk';
    }
    return sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: update,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
