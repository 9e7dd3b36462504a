/**
 * Customers' cards in DynamoDB: one partition per customer of a storefront, one item per card.
 * A removed card keeps its item (for the record) but loses its Clearent token id. Saving and removing
 * write the card's event in the same write (shared/events/outbox.ts).
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cardEvent } from '../events/derive';
import { outboxAppend, outboxAttributes } from '../events/outbox';
import type { Card } from '../payments/card';
import type { CardRepository } from '../payments/ports';
import { readItem, sendConditional } from './dynamo';
import { keys } from './keys';

function fromItem(item: Record<string, unknown>): Card {
  const { pk: _pk, sk: _sk, outbox: _outbox, workPk: _workPk, workSk: _workSk, ...card } = item;
  return card as unknown as Card;
}

export class DynamoCardRepository implements CardRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The time events are stamped with. */
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async get(storefrontId: string, customerId: string, cardId: string): Promise<Card | undefined> {
    const Item = await readItem(this.db, this.tableName, keys.card(storefrontId, customerId, cardId));
    return Item ? fromItem(Item) : undefined;
  }

  async add(card: Card): Promise<void> {
    const key = keys.card(card.storefrontId, card.customerId, card.id);
    await sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          ...card,
          ...outboxAttributes(key.pk, [cardEvent('card.saved', card, this.clock.now())]),
        },
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
    // The event shows the card as it was: read it, then remove it only if it is still that active card.
    const card = await this.get(storefrontId, customerId, cardId);
    if (card?.status !== 'active') return false;
    const key = keys.card(storefrontId, customerId, cardId);
    const removed: Card = { ...card, status: 'removed', removedAt: at };
    const outbox = outboxAppend(key.pk, [cardEvent('card.deleted', removed, this.clock.now())]);
    return sendConditional(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET #status = :removed, removedAt = :at, ${outbox.clauses.join(', ')} REMOVE tokenId`,
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':removed': 'removed',
          ':active': 'active',
          ':at': at,
          ...outbox.values,
        },
      }),
    );
  }
}
