/**
 * POST /v1/subscriptions, GET /v1/subscriptions, and GET, PATCH and DELETE /v1/subscriptions/{subscriptionId}.
 * Creating, changing and canceling charge nothing; the scheduled run makes the charges.
 *
 * PATCH of a canceled subscription answers 422 `invalid_request_error` (`subscription_canceled`): the
 * request is well-formed but the resource's state forbids it, as for a refund of a declined sale. Stripe
 * answers the same request with an `invalid_request_error`; 409 is this API's answer for an
 * Idempotency-Key still in use only, which a caller retries, and retrying this cannot help.
 */
import { cursorSecretName, maxAmount, tableName } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { NotFoundError } from '../../shared/http/errors';
import { idempotentResult } from '../../shared/http/idempotency';
import type { ApiRequest, ApiResult } from '../../shared/http/request';
import {
  createSubscriptionRequestSchema,
  subscriptionListQuerySchema,
  updateSubscriptionRequestSchema,
} from '../../shared/http/requests/subscription';
import { parseWith, subscriptionIdSchema } from '../../shared/http/validation';
import { lazy } from '../../shared/lazy';
import { liveKeyPorts } from '../../shared/payments/live-stores';
import { liveCursorCodec } from '../../shared/secrets/cursor-secret';
import { DynamoCardRepository } from '../../shared/store/cards';
import { documentClient } from '../../shared/store/dynamo';
import { DynamoSubscriptionRepository } from '../../shared/store/subscriptions';
import { cancelSubscription, createSubscription } from '../../shared/subscriptions/create';
import { toSubscriptionResource } from '../../shared/subscriptions/subscription';
import { updateSubscription } from '../../shared/subscriptions/update';

// The key's ports, the cards (a subscription charges a saved card) and the subscriptions: no transactions.
const ports = {
  ...liveKeyPorts(),
  cards: new DynamoCardRepository(documentClient(), tableName()),
  subscriptions: new DynamoSubscriptionRepository(
    documentClient(),
    tableName(),
    { now: () => new Date() },
    liveCursorCodec,
  ),
};
// The list signs its cursors with this secret (read on the first list): without its name, fail at cold start.
cursorSecretName();

const max = maxAmount();
/** Built on the first request that needs them, not at cold start. */
const createSchema = /* @__PURE__ */ lazy(() => createSubscriptionRequestSchema(max));
const changesSchema = /* @__PURE__ */ lazy(() => updateSubscriptionRequestSchema(max));

async function list(request: ApiRequest): Promise<ApiResult> {
  const query = parseWith(subscriptionListQuerySchema(), request.query);
  const page = await ports.subscriptions.list({
    storefrontId: request.storefrontId,
    ...query,
    limit: query.limit ?? 10,
  });
  return {
    statusCode: 200,
    body: { data: page.data.map(toSubscriptionResource), nextCursor: page.nextCursor },
  };
}

export const handler = apiHandler(async (request) => {
  const { subscriptionId } = request.pathParameters;
  if (subscriptionId === undefined) {
    if (request.routeKey.startsWith('GET ')) return list(request);
    const body = parseWith(createSchema(), request.body);
    const operation = createSubscription(ports, {
      storefrontId: request.storefrontId,
      ...body,
      intervalCount: body.intervalCount ?? 1,
    });
    return idempotentResult(ports, request, 'sub', operation);
  }
  const id = parseWith(subscriptionIdSchema(), subscriptionId, 'subscriptionId');
  if (request.routeKey.startsWith('PATCH ')) {
    const changes = parseWith(changesSchema(), request.body);
    return idempotentResult(
      ports,
      request,
      'sub',
      updateSubscription(ports, request.storefrontId, id, changes),
    );
  }
  if (request.routeKey.startsWith('DELETE ')) {
    const canceled = await cancelSubscription(ports, request.storefrontId, id);
    return { statusCode: 200, body: toSubscriptionResource(canceled) };
  }
  const subscription = await ports.subscriptions.get(request.storefrontId, id);
  if (!subscription) throw new NotFoundError('subscription', 'subscriptionId');
  return { statusCode: 200, body: toSubscriptionResource(subscription) };
});
