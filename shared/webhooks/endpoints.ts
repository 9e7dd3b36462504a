/**
 * Registering and removing webhook endpoints (contract: Routes, webhook-endpoints). The secret is made
 * here and stored in Secrets Manager before the endpoint exists, so an endpoint never lacks its secret;
 * the table, and the idempotency record of the POST, keep only the endpoint without it. The handler
 * reads the secret back to show it in the answer to that POST (and to its replays).
 */
import type { EventType } from '../events/event';
import { NotFoundError } from '../http/errors';
import type { IdempotentOperation } from '../payments/idempotent-operation';
import type { IdGenerator } from '../payments/ports';
import type { StoredResponse } from '../payments/transaction';
import { toEndpointResource, type WebhookEndpoint } from './endpoint';
import type { WebhookPorts } from './ports';
import { newWebhookSecret } from './signature';

export type EndpointPorts = Pick<WebhookPorts, 'endpoints' | 'secrets' | 'clock' | 'secretName'> & {
  ids?: IdGenerator;
};

export interface NewEndpoint {
  storefrontId: string;
  /** Already checked against the address policy. */
  url: string;
  /** `undefined`: every type. */
  events?: EventType[];
}

const created = (endpoint: WebhookEndpoint): StoredResponse => ({
  statusCode: 201,
  body: JSON.stringify(toEndpointResource(endpoint)),
});

/** The create operation, run under the POST's Idempotency-Key with the id the key chose (`we_...`). */
export function createEndpoint(ports: EndpointPorts, request: NewEndpoint): IdempotentOperation {
  return {
    run: async (id, { resumed }) => {
      const existing = resumed ? await ports.endpoints.get(request.storefrontId, id) : undefined;
      if (existing) return { response: created(existing) };
      const endpoint: WebhookEndpoint = {
        id,
        storefrontId: request.storefrontId,
        url: request.url,
        ...(request.events ? { events: [...new Set(request.events)] } : {}),
        status: 'enabled',
        secretName: ports.secretName(request.storefrontId, id),
        createdAt: ports.clock.now().toISOString(),
      };
      await ports.secrets.create(endpoint.secretName, newWebhookSecret());
      await ports.endpoints.create(endpoint);
      return { response: created(endpoint) };
    },
  };
}

export async function deleteEndpoint(
  ports: EndpointPorts,
  storefrontId: string,
  endpointId: string,
): Promise<void> {
  const deleted = await ports.endpoints.delete(storefrontId, endpointId);
  if (!deleted) throw new NotFoundError('webhook endpoint', 'endpointId');
  // Deliveries still scheduled to it find it gone and are canceled; its secret goes with it.
  await ports.secrets.remove(deleted.secretName);
}
