/**
 * Runs the model's commands against the world, as storefronts, the scheduler and reconciliation would,
 * and keeps what the invariants need to know (which subscriptions were canceled, and when).
 */
import { runRecurring } from '../../infra/local/recurring';
import type { SandboxOperation } from '../../infra/sandbox';
import { ApiError } from '../../shared/http/errors';
import { requestHash } from '../../shared/http/idempotency';
import { parseAmount } from '../../shared/money';
import { type IdempotentOperation, runIdempotent } from '../../shared/payments/idempotent-operation';
import { reconcile } from '../../shared/payments/reconciliation';
import { refund } from '../../shared/payments/refund';
import { removeCard } from '../../shared/payments/remove-card';
import { jwtSale, tokenSale } from '../../shared/payments/sale';
import type { TransactionResource } from '../../shared/payments/transaction';
import { cancelSubscription, createSubscription } from '../../shared/subscriptions/create';
import { ChargeDeferredError, chargeSubscription } from '../../shared/subscriptions/worker';
import type { Action, Command } from './commands';
import { Crash, StoreFault } from './fault-plan';
import type { World, WorldPorts } from './world';

interface IssuedRequest {
  /** The simulator's operation that moves its money. */
  operation_: SandboxOperation;
  key: string;
  route: string;
  body: Record<string, unknown>;
  operation: (ports: WorldPorts) => IdempotentOperation;
  idPrefix: 'txn' | 'sub';
}

export interface RunState {
  storefrontId: string;
  requests: IssuedRequest[];
  cards: { customerId: string; cardId: string }[];
  sales: string[];
  subscriptions: string[];
  /** Subscription id → the step whose cancel was answered. */
  canceledAt: Map<string, number>;
}

export function newRun(storefrontId: string): RunState {
  return { storefrontId, requests: [], cards: [], sales: [], subscriptions: [], canceledAt: new Map() };
}

const pick = <T>(list: readonly T[], index: number): T | undefined => list[index % Math.max(1, list.length)];
/** Retries favour the latest requests, as a storefront retries what just failed. */
const latest = <T>(list: readonly T[], index: number): T | undefined =>
  list[list.length - 1 - (index % Math.max(1, list.length))];

function moneyOperation(run: RunState, action: Action): SandboxOperation | undefined {
  switch (action.type) {
    case 'jwtSale':
      return 'mobile-sale';
    case 'tokenSale':
    case 'recurring':
    case 'redeliver':
      return 'sale';
    case 'refund':
      return 'refund';
    case 'retry':
      return latest(run.requests, action.request)?.operation_;
    default:
      return undefined;
  }
}

/** Runs one command; our own injected faults are expected, anything else fails the test. */
export async function runCommand(world: World, run: RunState, command: Command, step: number): Promise<void> {
  world.step = step;
  const aimed = command.gatewayFault;
  const operation = aimed?.on === 'search' ? 'search' : moneyOperation(run, command.action);
  if (aimed && operation) world.sandbox.injectFault({ ...aimed.fault, match: { operation } });
  world.faults.begin(command.plan);
  try {
    await act(world, run, command, step);
  } catch (error) {
    // Expected: our own injected faults, answers of the API, and a charge the worker defers to SQS.
    const expected = [StoreFault, Crash, ApiError, ChargeDeferredError];
    if (!expected.some((type) => error instanceof type)) throw error;
  } finally {
    world.faults.begin();
    world.sandbox.clearFaults();
  }
}

async function act(world: World, run: RunState, { action }: Command, step: number): Promise<void> {
  const ports = world.ports(run.storefrontId);
  const { storefrontId } = run;
  switch (action.type) {
    case 'jwtSale': {
      const customerId = action.customer === null ? undefined : `cus_${action.customer}`;
      const jwt = world.sandbox.issueJwt();
      const body = { amount: action.amount, jwt, customerId, saveCard: action.saveCard };
      const input = {
        storefrontId,
        amount: parseAmount(action.amount),
        jwt,
        customerId,
        saveCard: action.saveCard,
      };
      return issue(world, run, {
        route: 'POST /v1/sales/jwt',
        operation_: 'mobile-sale',
        body,
        idPrefix: 'txn',
        operation: (p) => jwtSale(p, input),
      });
    }
    case 'tokenSale': {
      const card = pick(run.cards, action.card);
      if (!card) return;
      const body = { amount: action.amount, ...card };
      const input = { storefrontId, amount: parseAmount(action.amount), ...card };
      return issue(world, run, {
        route: 'POST /v1/sales/token',
        operation_: 'sale',
        body,
        idPrefix: 'txn',
        operation: (p) => tokenSale(p, input),
      });
    }
    case 'refund': {
      const saleId = pick(run.sales, action.sale);
      if (!saleId) return;
      const amount = action.amount === null ? undefined : parseAmount(action.amount);
      const body = { transactionId: saleId, amount: action.amount };
      return issue(world, run, {
        route: 'POST /v1/refunds',
        operation_: 'refund',
        body,
        idPrefix: 'txn',
        operation: (p) => refund(p, { storefrontId, saleId, amount }),
      });
    }
    case 'retry': {
      const request = latest(run.requests, action.request);
      if (request) await answer(world, run, request);
      return;
    }
    case 'deleteCard': {
      const card = pick(run.cards, action.card);
      if (card) await removeCard(ports, storefrontId, card.customerId, card.cardId);
      return;
    }
    case 'subscribe': {
      const card = pick(run.cards, action.card);
      if (!card) return;
      const input = {
        storefrontId,
        ...card,
        amount: parseAmount(action.amount),
        interval: 'month' as const,
        intervalCount: 1,
      };
      const body = { ...card, amount: action.amount, interval: 'month' };
      return issue(world, run, {
        route: 'POST /v1/subscriptions',
        operation_: 'sale',
        body,
        idPrefix: 'sub',
        operation: (p) => createSubscription(p, input),
      });
    }
    case 'cancel': {
      const subscriptionId = pick(run.subscriptions, action.subscription);
      if (!subscriptionId) return;
      await cancelSubscription(ports, storefrontId, subscriptionId);
      if (!run.canceledAt.has(subscriptionId)) run.canceledAt.set(subscriptionId, step);
      return;
    }
    case 'recurring':
      await runRecurring(ports, world.clock.now(), { concurrency: 2, maxDeliveries: 2 });
      return;
    case 'redeliver': {
      // SQS delivering a charge message again (after a visibility timeout, or twice): for the period and
      // attempt the subscription is at, whatever happened to it since.
      const subscriptionId = pick(run.subscriptions, action.subscription);
      const subscription = subscriptionId && (await ports.subscriptions.get(storefrontId, subscriptionId));
      if (!subscription) return;
      const { periodStart, failedAttempts: attempt } = subscription;
      await chargeSubscription(ports, {
        storefrontId,
        subscriptionId: subscription.id,
        periodStart,
        attempt,
      });
      return;
    }
    case 'reconcile':
      await reconcile(ports, world.clock.now());
      return;
    case 'advance':
      world.clock.advance(action.ms);
      world.sandbox.flushDue();
      return;
  }
}

async function issue(world: World, run: RunState, request: Omit<IssuedRequest, 'key'>): Promise<void> {
  const issued = { ...request, key: `key-${run.requests.length}` };
  run.requests.push(issued);
  await answer(world, run, issued);
}

/** Sends the request (or its retry) under its key, and learns what a storefront would from the answer. */
async function answer(world: World, run: RunState, request: IssuedRequest): Promise<void> {
  const ports = world.ports(run.storefrontId);
  const response = await runIdempotent(
    ports,
    {
      storefrontId: run.storefrontId,
      key: request.key,
      route: request.route,
      requestHash: requestHash(request.route, request.body),
      idPrefix: request.idPrefix,
    },
    request.operation(ports),
  );
  if (response.statusCode !== 201) return;
  const resource = JSON.parse(response.body) as TransactionResource & { status: string };
  if (request.idPrefix === 'sub') {
    if (!run.subscriptions.includes(resource.id)) run.subscriptions.push(resource.id);
    return;
  }
  if (resource.type !== 'sale') return;
  if (!run.sales.includes(resource.id)) run.sales.push(resource.id);
  const { customerId, cardId } = resource;
  if (customerId && cardId && !run.cards.some((card) => card.cardId === cardId))
    run.cards.push({ customerId, cardId });
}
