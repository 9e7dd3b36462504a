/**
 * The payments ports that only use the table, built once per container from the environment:
 * transactions, cards, idempotency records, the clock, ids and timings. Functions that never call the
 * gateway (transactions, subscriptions, webhook endpoints) take these alone, so their bundles carry no
 * Clearent client (issue 11); ./live-ports.ts adds the gateway for the ones that charge.
 */
import { gatewaySettleSeconds, idempotencyLockMs, idempotencyTtlHours, tableName } from '../config';
import { randomIds } from '../ids';
import { DynamoCardRepository } from '../store/cards';
import { documentClient } from '../store/dynamo';
import { DynamoIdempotencyRepository } from '../store/idempotency';
import { DynamoTransactionRepository } from '../store/transactions';
import type { PaymentsPorts } from './ports';

export type StorePorts = Omit<PaymentsPorts, 'gateway'>;

let stores: StorePorts | undefined;

export function liveStorePorts(): StorePorts {
  stores ??= createStorePorts();
  return stores;
}

function createStorePorts(): StorePorts {
  const db = documentClient();
  const table = tableName();
  return {
    transactions: new DynamoTransactionRepository(db, table),
    cards: new DynamoCardRepository(db, table),
    idempotency: new DynamoIdempotencyRepository(db, table, idempotencyTtlHours() * 3600),
    clock: { now: () => new Date() },
    ids: randomIds,
    timing: { lockMs: idempotencyLockMs(), settleWindowMs: gatewaySettleSeconds() * 1000 },
  };
}
