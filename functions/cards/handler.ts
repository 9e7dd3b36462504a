/** GET /v1/customers/{customerId}/cards and DELETE /v1/customers/{customerId}/cards/{cardId}. */

import { tableName } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { cardIdSchema, customerIdSchema, parseWith } from '../../shared/http/validation';
import { toCardResource } from '../../shared/payments/card';
import { liveGateway } from '../../shared/payments/live-ports';
import { removeCard } from '../../shared/payments/remove-card';
import { DynamoCardRepository } from '../../shared/store/cards';
import { documentClient } from '../../shared/store/dynamo';

// Only what the two routes use: no transactions, no idempotency records (DELETE is idempotent by itself).
const ports = {
  cards: new DynamoCardRepository(documentClient(), tableName()),
  gateway: liveGateway(),
  clock: { now: () => new Date() },
};

export const handler = apiHandler(async (request) => {
  const customerId = parseWith(customerIdSchema(), request.pathParameters.customerId, 'customerId');
  if (request.pathParameters.cardId === undefined) {
    const cards = await ports.cards.listActive(request.storefrontId, customerId);
    return { statusCode: 200, body: { data: cards.map(toCardResource) } };
  }
  const cardId = parseWith(cardIdSchema(), request.pathParameters.cardId, 'cardId');
  await removeCard(ports, request.storefrontId, customerId, cardId);
  return { statusCode: 204 };
});
