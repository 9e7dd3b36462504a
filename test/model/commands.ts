/**
 * What the model test does: random storefront requests and retries (same and new keys), card
 * deletions, subscriptions and their cancels, recurring runs, reconciliation runs and clock moves, each
 * with a random gateway fault and random faults of our own (a store failure, a crash).
 */
import fc from 'fast-check';
import type { FaultInjection, SandboxBehaviour } from '../../infra/sandbox';
import type { FaultPlan } from './fault-plan';

export type Action =
  | { type: 'jwtSale'; amount: string; customer: number | null; saveCard: boolean }
  | { type: 'tokenSale'; amount: string; card: number }
  | { type: 'refund'; sale: number; amount: string | null }
  | { type: 'retry'; request: number }
  | { type: 'deleteCard'; card: number }
  | { type: 'subscribe'; card: number; amount: string }
  | { type: 'cancel'; subscription: number }
  | { type: 'recurring' }
  | { type: 'redeliver'; subscription: number }
  | { type: 'reconcile' }
  | { type: 'advance'; ms: number };

/** A gateway fault, aimed at the request that moves money in this command, or at its searches. */
export interface AimedFault {
  fault: FaultInjection;
  on: 'money' | 'search';
}

export interface Command {
  action: Action;
  gatewayFault: AimedFault | null;
  plan: FaultPlan;
}

/** Approving amounts and a few declining ones (NSF 0.21, referral 0.01, mobile under 1.00). */
const amount = fc.constantFrom('1.00', '5.55', '20.00', '99.99', '0.21', '0.01', '0.50');
const index = fc.nat({ max: 7 });

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('jwtSale' as const),
      amount,
      customer: fc.option(fc.nat({ max: 1 })),
      saveCard: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('tokenSale' as const), amount, card: index }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('refund' as const),
      sale: index,
      amount: fc.option(fc.constantFrom('0.50', '1.00', '3.00')),
    }),
  },
  { weight: 6, arbitrary: fc.record({ type: fc.constant('retry' as const), request: fc.nat({ max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('deleteCard' as const), card: index }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('subscribe' as const), card: index, amount }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('cancel' as const), subscription: index }) },
  { weight: 2, arbitrary: fc.constant({ type: 'recurring' as const }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('redeliver' as const), subscription: index }) },
  { weight: 2, arbitrary: fc.constant({ type: 'reconcile' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('advance' as const),
      ms: fc.constantFrom(1_000, 31_000, 61_000, 125_000, 125_000, 32 * 86_400_000),
    }),
  },
);

/** Delays stay inside the settle window with the search lag (see behaviour): the window's assumption. */
const gatewayFault: fc.Arbitrary<FaultInjection> = fc.oneof(
  fc.record({ kind: fc.constant('late-completion' as const), delayMs: fc.integer({ min: 0, max: 60_000 }) }),
  fc.record({
    kind: fc.constant('http-error' as const),
    status: fc.constantFrom(500 as const, 502 as const, 503 as const, 504 as const),
    processed: fc.boolean(),
  }),
  fc.constant({ kind: 'reset-after-processing' as const }),
  fc.constant({ kind: 'reset-before-processing' as const }),
  fc.constant({ kind: 'malformed' as const }),
  fc.constant({ kind: 'late' as const, delayMs: 300 }),
  fc.constant({ kind: 'xml' as const }),
);

const targeted: fc.Arbitrary<AimedFault> = fc.record({
  fault: gatewayFault,
  on: fc.constantFrom('money' as const, 'money' as const, 'search' as const),
});

const plan: fc.Arbitrary<FaultPlan> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record({
      storeFault: fc.record({ call: fc.integer({ min: 1, max: 8 }), applied: fc.boolean() }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ crashAfter: fc.integer({ min: 1, max: 10 }) }) },
);

export const command: fc.Arbitrary<Command> = fc.record({
  action,
  gatewayFault: fc.option(targeted, { freq: 2 }),
  plan,
});

/**
 * A run: a first JWT sale that saves a card (under any faults), so that token sales, refunds and
 * subscriptions have something to work on, then up to 16 random commands.
 */
export const schedule: fc.Arbitrary<Command[]> = fc
  .tuple(
    fc.record({
      action: fc.constant<Action>({ type: 'jwtSale', amount: '20.00', customer: 0, saveCard: true }),
      gatewayFault: fc.option(targeted, { freq: 2 }),
      plan,
    }),
    fc.array(command, { minLength: 1, maxLength: 16 }),
  )
  .map(([first, rest]) => [first, ...rest]);

/** How unkind the simulator is in a run; lag plus the longest late completion stays inside the window. */
export const behaviour: fc.Arbitrary<Partial<SandboxBehaviour>> = fc.record({
  searchLagMs: fc.integer({ min: 0, max: 50_000 }),
  emptySearchStatus: fc.constantFrom(200 as const, 204 as const, 404 as const),
  duplicateDetection: fc.oneof(
    fc.constant(false as const),
    fc.record({
      windowMs: fc.constant(60_000),
      match: fc.constantFrom('invoice' as const, 'last-four-amount' as const),
      respondWith: fc.constant('earlier-transaction' as const),
    }),
  ),
});
