/**
 * The real adapters behind the payments ports, built once per container from the environment: the
 * table's (./live-stores.ts), each storefront's Clearent credentials from Secrets Manager, and the
 * Clearent client.
 */
import { createClearentClient } from '../clearent/client';
import { gatewayConfig } from '../config';
import { recordGatewayCall } from '../observability/metrics';
import { clearentSecretName, readClearentCredentials } from '../secrets/clearent-credentials';
import { GatewayClients } from './gateway-clients';
import { liveStorePorts } from './live-stores';
import type { PaymentsPorts } from './ports';

let ports: PaymentsPorts | undefined;

export function livePorts(): PaymentsPorts {
  ports ??= createLivePorts();
  return ports;
}

function createLivePorts(): PaymentsPorts {
  const gateway = gatewayConfig();
  // One client per storefront (not per api-key): a rotated key replaces the storefront's client when the
  // cached secret is refreshed.
  const clients = new GatewayClients((apiKey) =>
    createClearentClient({
      baseUrl: gateway.baseUrl,
      apiKey,
      timeoutMs: gateway.timeoutMs,
      maxLookupAttempts: gateway.lookupAttempts,
      softwareType: gateway.softwareType,
      onCall: recordGatewayCall,
    }),
  );
  return {
    ...liveStorePorts(),
    gateway: async (storefrontId, options) => {
      const { apiKey } = await readClearentCredentials(
        clearentSecretName(gateway.secretPrefix, storefrontId),
        { refresh: options?.refresh === true },
      );
      return clients.clientFor(storefrontId, apiKey);
    },
  };
}
