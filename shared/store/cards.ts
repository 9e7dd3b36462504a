/**
 * Customers' cards in DynamoDB: one partition per customer of a storefront, one item per card.
 * A removed card keeps its item (for the record) but loses its Clearent token id.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Card } from '../payments/card';
import type { CardRepository } from '../payments/ports';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';

function fromItem(item: Record<string, unknown>): Card {
  const { pk: _pk, sk: _sk, ...card } = item;
  return card as unknown as Card;
}

export class DynamoCardRepository implements CardRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(storefrontId: string, customerId: string, cardId: string): Promise<Card | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.card(storefrontId, customerId, cardId));
    return Item ? fromItem(Item) : undefined;
  }

  async add(card: Card): Promise<void> {
    await sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.card(card.storefrontId, card.customerId, card.id), ...card },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listActive(storefrontId: string, customerId: string): Promise<Card[]> {
    const cards: Card[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :card)',
          FilterExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': keys.customerCards(storefrontId, customerId),
            ':card': 'CARD#',
            ':active': 'active',
          },
          ExclusiveStartKey: startKey,
        }),
      );
      cards.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return cards.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async markRemoved(storefrontId: string, customerId: string, cardId: string, at: string): Promise<boolean> {
    return sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.card(storefrontId, customerId, cardId),
        UpdateExpression: 'SET #status = :removed, removedAt = :at REMOVE tokenId',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':removed': 'removed', ':active': 'active', ':at': at },
      }),
    );
  }
}
