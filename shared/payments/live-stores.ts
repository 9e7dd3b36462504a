/**
 * The payments ports that only use the table, built once per container from the environment:
 * transactions, cards, idempotency records, the clock, ids and timings. A function takes only what it
 * uses, so that its bundle carries nothing else (issue 11): the subscriptions and webhook-endpoints
 * functions the key ports alone; ./live-ports.ts adds the gateway for the functions that charge.
 */
import { gatewaySettleSeconds, idempotencyLockMs, idempotencyTtlHours, tableName } from '../config';
import { randomIds } from '../ids';
import { DynamoCardRepository } from '../store/cards';
import { documentClient } from '../store/dynamo';
import { DynamoIdempotencyRepository } from '../store/idempotency';
import { DynamoTransactionRepository } from '../store/transactions';
import type { PaymentsPorts } from './ports';

export type StorePorts = Omit<PaymentsPorts, 'gateway'>;
/** What runs a request under its Idempotency-Key (shared/http/idempotency.ts) when it creates no transaction. */
export type KeyPorts = Pick<PaymentsPorts, 'idempotency' | 'clock' | 'ids' | 'timing'>;

let stores: StorePorts | undefined;
let keyPorts: KeyPorts | undefined;

export function liveStorePorts(): StorePorts {
  stores ??= {
    ...liveKeyPorts(),
    transactions: new DynamoTransactionRepository(documentClient(), tableName()),
    cards: new DynamoCardRepository(documentClient(), tableName()),
  };
  return stores;
}

/**
 * The idempotency records, the clock, ids and timings alone: for the functions whose requests create
 * subscriptions or webhook endpoints, so that their bundles carry no transaction store.
 */
export function liveKeyPorts(): KeyPorts {
  keyPorts ??= {
    idempotency: new DynamoIdempotencyRepository(documentClient(), tableName(), idempotencyTtlHours() * 3600),
    clock: { now: () => new Date() },
    ids: randomIds,
    timing: { lockMs: idempotencyLockMs(), settleWindowMs: gatewaySettleSeconds() * 1000 },
  };
  return keyPorts;
}
