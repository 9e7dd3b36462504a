/**
 * The fault-schedule model test (docs/money-movement.md, "How it is proven"): random interleavings of
 * storefront requests and retries, card deletions, subscriptions and cancels, recurring and
 * reconciliation runs, against the real domain, the real store (dynalite) and the simulator, with random
 * gateway faults, store failures and crashes between steps. After each run the world heals (no more
 * faults, the clock past the settle window, one reconciliation) and the invariants must hold.
 *
 * `MODEL_RUNS` sets the number of runs (`npm run soak` runs thousands); a failure prints its seed and
 * path, and `MODEL_SEED=<seed> MODEL_PATH=<path>` replays exactly that run.
 */
import fc from 'fast-check';
import { reconcile } from '../../shared/payments/reconciliation';
import { behaviour, schedule } from './commands';
import { newRun, runCommand } from './interpreter';
import { brokenInvariants, storedTransactions } from './invariants';
import { countRun, printTally, type Tally } from './tally';
import { SETTLE_WINDOW_MS, startWorld, type World } from './world';

const RUNS = Number(process.env.MODEL_RUNS ?? 300);
const tally: Tally | undefined = process.env.MODEL_STATS ? new Map() : undefined;
const replay = process.env.MODEL_SEED
  ? { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH, endOnFailure: true }
  : {};

let world: World;
let runs = 0;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  if (tally) console.log(`Model runs, counted:\n${printTally(tally)}`);
  await world.close();
});

describe('Model: money movement under faults', () => {
  it(`keeps the promise over ${RUNS} random fault schedules`, async () => {
    await fc.assert(
      fc.asyncProperty(behaviour, schedule, async (unkindness, commands) => {
        // Prepare: a fresh storefront and a reset simulator for every run.
        runs += 1;
        const run = newRun(`sf_model_${runs}`);
        world.sandbox.reset();
        world.clock.restart();
        world.sandbox.configure(unkindness);
        world.sent.length = 0;
        world.patient = false;

        // Act
        for (const [step, next] of commands.entries()) await runCommand(world, run, next, step + 1);
        world.patient = true;
        const pending =
          tally && [...(await storedTransactions(world, run)).values()].filter((t) => t.status === 'pending');
        world.clock.advance(SETTLE_WINDOW_MS + 1_000);
        world.sandbox.flushDue();
        await reconcile(world.ports(run.storefrontId), world.clock.now());

        // Assess
        expect(await brokenInvariants(world, run)).toEqual([]);
        if (tally)
          countRun(tally, world, [...(await storedTransactions(world, run)).values()], pending?.length ?? 0);
        // The due index is shared by every storefront: a run's subscriptions leave it, so that later runs'
        // recurring runs select only their own (and the runs do not slow down as they add up).
        const ports = world.ports(run.storefrontId);
        for (const id of run.subscriptions)
          await ports.subscriptions.cancel(run.storefrontId, id, 'after the run');
      }),
      { numRuns: RUNS, ...replay },
    );
  }, 3_600_000);
});
