/**
 * POST, GET and DELETE /v1/webhook-endpoints: a storefront's webhook endpoints. The `whsec_` secret is
 * shown in the answer to the POST only (a replay of that POST shows it again: it is the same answer);
 * it is kept in Secrets Manager and read back for that answer, never stored in the table or a log.
 */
import { tableName, webhookAllowLoopback, webhookSecretName } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotentResult } from '../../shared/http/idempotency';
import type { ApiResult } from '../../shared/http/request';
import { createWebhookEndpointRequestSchema } from '../../shared/http/requests/webhook-endpoint';
import { endpointIdSchema, parseWith } from '../../shared/http/validation';
import { lazy } from '../../shared/lazy';
import { liveKeyPorts } from '../../shared/payments/live-stores';
import { SecretsManagerWebhookSecrets } from '../../shared/secrets/webhook-secrets';
import { documentClient } from '../../shared/store/dynamo';
import { DynamoEndpointStore } from '../../shared/store/webhook-endpoints';
import { toEndpointResource } from '../../shared/webhooks/endpoint';
import { createEndpoint, deleteEndpoint } from '../../shared/webhooks/endpoints';

const ports = {
  ...liveKeyPorts(),
  endpoints: new DynamoEndpointStore(documentClient(), tableName()),
  secrets: new SecretsManagerWebhookSecrets(),
  secretName: webhookSecretName,
};
const allowLoopback = webhookAllowLoopback();
/** Built on the first POST, not at cold start. */
const bodySchema = /* @__PURE__ */ lazy(() => createWebhookEndpointRequestSchema({ allowLoopback }));

export const handler = apiHandler(async (request) => {
  const { endpointId } = request.pathParameters;
  if (request.routeKey.startsWith('DELETE ')) {
    const id = parseWith(endpointIdSchema(), endpointId, 'endpointId');
    await deleteEndpoint(ports, request.storefrontId, id);
    return { statusCode: 204 };
  }
  if (request.routeKey.startsWith('GET ')) {
    const endpoints = await ports.endpoints.list(request.storefrontId);
    return { statusCode: 200, body: { data: endpoints.map(toEndpointResource) } };
  }
  const body = parseWith(bodySchema(), request.body);
  const operation = createEndpoint(ports, { storefrontId: request.storefrontId, ...body });
  return withSecret(request.storefrontId, await idempotentResult(ports, request, 'we', operation));
});

/** Adds the endpoint's secret to the answer of its creation, read from where it is kept. */
async function withSecret(storefrontId: string, result: ApiResult): Promise<ApiResult> {
  if (result.statusCode !== 201 || result.rawBody === undefined) return result;
  const endpoint = JSON.parse(result.rawBody) as { id: string };
  const secret = await ports.secrets.read(webhookSecretName(storefrontId, endpoint.id));
  const { rawBody: _stored, ...rest } = result;
  return { ...rest, body: { ...endpoint, secret } };
}
