/**
 * The real adapters behind the payments ports, built once per container from the environment: the
 * table's (./live-stores.ts), and the gateway: each storefront's Clearent credentials from Secrets
 * Manager and its Clearent client. A function that needs the gateway and a store or two (cards) takes
 * `liveGateway()` alone, so its bundle carries no other store.
 */
import { createClearentClient } from '../clearent/client';
import { gatewayConfig } from '../config';
import { recordGatewayCall } from '../observability/metrics';
import { clearentSecretName, readClearentCredentials } from '../secrets/clearent-credentials';
import { GatewayClients } from './gateway-clients';
import { liveStorePorts } from './live-stores';
import type { GatewayProvider, PaymentsPorts } from './ports';

let ports: PaymentsPorts | undefined;
let gateway: GatewayProvider | undefined;

export function livePorts(): PaymentsPorts {
  ports ??= { ...liveStorePorts(), gateway: liveGateway() };
  return ports;
}

/** Each storefront's Clearent client, with its credentials as read (and re-read on `refresh`). */
export function liveGateway(): GatewayProvider {
  gateway ??= createLiveGateway();
  return gateway;
}

function createLiveGateway(): GatewayProvider {
  const config = gatewayConfig();
  // One client per storefront (not per api-key): a rotated key replaces the storefront's client when the
  // cached secret is refreshed.
  const clients = new GatewayClients((apiKey) =>
    createClearentClient({
      baseUrl: config.baseUrl,
      apiKey,
      timeoutMs: config.timeoutMs,
      maxLookupAttempts: config.lookupAttempts,
      softwareType: config.softwareType,
      onCall: recordGatewayCall,
    }),
  );
  return async (storefrontId, options) => {
    const { apiKey } = await readClearentCredentials(clearentSecretName(config.secretPrefix, storefrontId), {
      refresh: options?.refresh === true,
    });
    return clients.clientFor(storefrontId, apiKey);
  };
}
