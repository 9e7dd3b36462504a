/** GET /v1/events and GET /v1/events/{eventId}: a storefront's events of the last 30 days. */
import { cursorSecretName, tableName } from '../../shared/config';
import { toEventResource } from '../../shared/events/event';
import { apiHandler } from '../../shared/http/api-handler';
import { NotFoundError } from '../../shared/http/errors';
import { eventListQuerySchema } from '../../shared/http/requests/event';
import { eventIdSchema, parseWith } from '../../shared/http/validation';
import { liveCursorCodec } from '../../shared/secrets/cursor-secret';
import { documentClient } from '../../shared/store/dynamo';
import { DynamoEventStore } from '../../shared/store/events';

const events = new DynamoEventStore(documentClient(), tableName(), liveCursorCodec);
// Lists sign their cursors with this secret (read on the first list): without its name, fail at cold start.
cursorSecretName();

export const handler = apiHandler(async (request) => {
  const { eventId } = request.pathParameters;
  if (eventId !== undefined) {
    const event = await events.get(request.storefrontId, parseWith(eventIdSchema(), eventId, 'eventId'));
    if (!event) throw new NotFoundError('event', 'eventId');
    return { statusCode: 200, body: toEventResource(event) };
  }
  const query = parseWith(eventListQuerySchema(), request.query);
  const page = await events.list({
    storefrontId: request.storefrontId,
    ...query,
    limit: query.limit ?? 10,
  });
  return { statusCode: 200, body: { data: page.data.map(toEventResource), nextCursor: page.nextCursor } };
});
