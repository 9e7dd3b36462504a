/**
 * The model test's world: the real domain on the real store (dynalite) and the Clearent simulator,
 * sharing one fake clock, with our own faults (store failures, crashes) injected around every port.
 * One world serves every run of a test file; each run gets a fresh storefront and a reset simulator.
 */

import type { RecurringRunPorts } from '../../infra/local/recurring';
import { type Sandbox, startSandbox } from '../../infra/sandbox';
import { createClearentClient } from '../../shared/clearent/client';
import type { ClearentGateway } from '../../shared/clearent/types';
import { randomIds } from '../../shared/ids';
import type { ReconciliationPorts, TransactionTimeline } from '../../shared/payments/ports';
import { DynamoCardRepository } from '../../shared/store/cards';
import { createCursorCodec } from '../../shared/store/cursor';
import { DynamoDueSubscriptions } from '../../shared/store/due-subscriptions';
import { DynamoIdempotencyRepository } from '../../shared/store/idempotency';
import { DynamoPendingTransactions } from '../../shared/store/pending-transactions';
import { DynamoSubscriptionBilling } from '../../shared/store/subscription-billing';
import { DynamoSubscriptionRepository } from '../../shared/store/subscriptions';
import { DynamoTransactionTimeline } from '../../shared/store/transaction-timeline';
import { DynamoTransactionRepository } from '../../shared/store/transactions';
import type { SubscriptionRepository } from '../../shared/subscriptions/ports';
import { startTestTable, type TestTable } from '../support/local-table';
import { FaultInjector, withFaults } from './fault-plan';

/** The settle window of the world (the contract's default). */
export const SETTLE_WINDOW_MS = 120_000;
/** Short: a late or held answer costs this much real time. Healing uses a patient client. */
const IMPATIENT_TIMEOUT_MS = 60;
const PATIENT_TIMEOUT_MS = 5_000;

/** One gateway send, as the gateway port saw it, in the command it happened in. */
export interface SentRequest {
  step: number;
  operation: 'jwtSale' | 'tokenSale' | 'refund' | 'void';
  invoice?: string;
}

const STORE_WRITES = new Set([
  'create',
  'replace',
  'settle',
  'holdRefund',
  'releaseRefund',
  'claim',
  'takeOver',
  'release',
  'complete',
  'setExpiry',
  'add',
  'markRemoved',
  'cancel',
  'transition',
]);
const GATEWAY_WRITES = new Set(['jwtSale', 'tokenSale', 'refund', 'void', 'deleteToken']);

/**
 * Every port the commands use (the API's subscriptions, the recurring run's, reconciliation's), and the
 * timeline the invariants read every transaction through.
 */
export type WorldPorts = RecurringRunPorts &
  ReconciliationPorts & { subscriptions: SubscriptionRepository; timeline: TransactionTimeline };

export interface World {
  table: TestTable;
  sandbox: Sandbox;
  faults: FaultInjector;
  /** The clock shared by the domain and the simulator; every run starts it at the same time. */
  clock: { now: () => Date; advance(ms: number): void; restart(): void };
  /** Every send the gateway port was asked for, in order. */
  sent: SentRequest[];
  /** The command being run (for `sent`). */
  step: number;
  /** Healing: no faults, and a gateway client that waits long enough for any answer. */
  patient: boolean;
  ports(storefrontId: string): WorldPorts;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const table = await startTestTable();
  const start = Date.parse('2026-11-24T10:00:00.000Z');
  let nowMs = start;
  const clock = {
    now: () => new Date(nowMs),
    advance: (ms: number) => {
      nowMs += ms;
    },
    // Runs are independent (a fresh storefront, a reset simulator): each starts at the same time, so
    // that cards and JWTs do not expire as the runs' clock moves add up.
    restart: () => {
      nowMs = start;
    },
  };
  const sandbox = await startSandbox({ now: clock.now });
  const faults = new FaultInjector();
  const clients = new Map<number, ClearentGateway>();
  const clientFor = (timeoutMs: number) => {
    let client = clients.get(timeoutMs);
    if (!client) {
      client = createClearentClient({
        baseUrl: sandbox.url,
        apiKey: sandbox.apiKey,
        timeoutMs,
        maxLookupAttempts: 2,
      });
      clients.set(timeoutMs, client);
    }
    return client;
  };
  const world: World = {
    table,
    sandbox,
    faults,
    clock,
    sent: [],
    step: 0,
    patient: false,
    ports(storefrontId) {
      const { db, tableName } = table;
      const store = <T extends object>(repository: T) =>
        withFaults(repository, faults, 'store', STORE_WRITES);
      const codec = createCursorCodec('model-test-cursor-secret-0123456789abcdef');
      return {
        transactions: store(new DynamoTransactionRepository(db, tableName)),
        timeline: store(new DynamoTransactionTimeline(db, tableName, async () => codec)),
        pending: store(new DynamoPendingTransactions(db, tableName)),
        cards: store(new DynamoCardRepository(db, tableName)),
        idempotency: store(new DynamoIdempotencyRepository(db, tableName, 24 * 3600, () => nowMs)),
        subscriptions: store(new DynamoSubscriptionRepository(db, tableName)),
        billing: store(new DynamoSubscriptionBilling(db, tableName)),
        due: store(new DynamoDueSubscriptions(db, tableName)),
        gateway: async (id) => {
          if (id !== storefrontId) throw new Error(`no gateway for ${id}`);
          const client = clientFor(world.patient ? PATIENT_TIMEOUT_MS : IMPATIENT_TIMEOUT_MS);
          return withFaults(recording(client, world), faults, 'gateway', GATEWAY_WRITES);
        },
        clock: { now: clock.now },
        ids: randomIds,
        timing: { lockMs: 30_000, settleWindowMs: SETTLE_WINDOW_MS },
        dunning: { retryDays: [1, 3, 5] },
      };
    },
    close: async () => {
      await sandbox.close();
      await table.close();
    },
  };
  return world;
}

/** The gateway, noting every request that may move money before it is sent. */
function recording(client: ClearentGateway, world: World): ClearentGateway {
  const noted = <Request, Result>(
    operation: SentRequest['operation'],
    send: (request: Request) => Promise<Result>,
    invoiceOf: (request: Request) => string | undefined,
  ) => {
    return (request: Request) => {
      world.sent.push({ step: world.step, operation, invoice: invoiceOf(request) });
      return send(request);
    };
  };
  return {
    ...client,
    jwtSale: noted('jwtSale', client.jwtSale, (request) => request.invoice),
    tokenSale: noted('tokenSale', client.tokenSale, (request) => request.invoice),
    refund: noted('refund', client.refund, (request) => request.invoice),
    void: noted('void', client.void, () => undefined),
  };
}
