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
import { behaviour, command } from './commands';
import { newRun, runCommand } from './interpreter';
import { brokenInvariants } from './invariants';
import { SETTLE_WINDOW_MS, startWorld, type World } from './world';

const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const replay = process.env.MODEL_SEED
  ? { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH, endOnFailure: true }
  : {};

let world: World;
let runs = 0;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.close());

describe('Model: money movement under faults', () => {
  it(`keeps the promise over ${RUNS} random fault schedules`, async () => {
    await fc.assert(
      fc.asyncProperty(
        behaviour,
        fc.array(command, { minLength: 1, maxLength: 14 }),
        async (unkindness, commands) => {
          // Prepare: a fresh storefront and a reset simulator for every run.
          runs += 1;
          const run = newRun(`sf_model_${runs}`);
          world.sandbox.reset();
          world.sandbox.configure(unkindness);
          world.sent.length = 0;
          world.patient = false;

          // Act
          for (const [step, next] of commands.entries()) await runCommand(world, run, next, step + 1);
          world.patient = true;
          world.clock.advance(SETTLE_WINDOW_MS + 1_000);
          world.sandbox.flushDue();
          await reconcile(world.ports(run.storefrontId), world.clock.now());

          // Assess
          expect(await brokenInvariants(world, run)).toEqual([]);
        },
      ),
      { numRuns: RUNS, ...replay },
    );
  }, 3_600_000);
});
