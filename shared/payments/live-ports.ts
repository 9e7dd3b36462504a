/**
 * The real adapters behind the payments ports, built once per container from the environment:
 * DynamoDB, each storefront's Clearent credentials from Secrets Manager, the Clearent client.
 */
import { createClearentClient } from '../clearent/client';
import {
  gatewayConfig,
  gatewaySettleSeconds,
  idempotencyLockMs,
  idempotencyTtlHours,
  tableName,
} from '../config';
import { randomIds } from '../ids';
import { recordGatewayCall } from '../observability/metrics';
import { clearentSecretName, readClearentCredentials } from '../secrets/clearent-credentials';
import { liveCursorCodec } from '../secrets/cursor-secret';
import { DynamoCardRepository } from '../store/cards';
import { documentClient } from '../store/dynamo';
import { DynamoIdempotencyRepository } from '../store/idempotency';
import { DynamoTransactionRepository } from '../store/transactions';
import { GatewayClients } from './gateway-clients';
import type { PaymentsPorts } from './ports';

let ports: PaymentsPorts | undefined;

export function livePorts(): PaymentsPorts {
  ports ??= createLivePorts();
  return ports;
}

function createLivePorts(): PaymentsPorts {
  const db = documentClient();
  const table = tableName();
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
    transactions: new DynamoTransactionRepository(db, table, liveCursorCodec),
    cards: new DynamoCardRepository(db, table),
    idempotency: new DynamoIdempotencyRepository(db, table, idempotencyTtlHours() * 3600),
    gateway: async (storefrontId, options) => {
      const { apiKey } = await readClearentCredentials(
        clearentSecretName(gateway.secretPrefix, storefrontId),
        { refresh: options?.refresh === true },
      );
      return clients.clientFor(storefrontId, apiKey);
    },
    clock: { now: () => new Date() },
    ids: randomIds,
    timing: { lockMs: idempotencyLockMs(), settleWindowMs: gatewaySettleSeconds() * 1000 },
  };
}
