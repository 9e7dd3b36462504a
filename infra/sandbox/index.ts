/**
 * A local simulator of Clearent's REST v2 gateway (what stripe-mock is to Stripe), embeddable in tests
 * and in the local run, and runnable alone with `npm run sandbox`. Every test leans on it, so it is as
 * unkind as Clearent's documents allow, and deterministic: time is the `now` option's clock only.
 *
 * It answers Clearent's JSON envelope (or XML unless `Accept` asks for JSON) for: JWT issuance
 * (`/rest/v2/mobilejwt/manual`), JWT sales, card and token sales, refunds, voids, transaction lookup and
 * search, and card tokens; and it serves a stand-in for Clearent's JavaScript SDK with its hosted card
 * form (`browser-sdk.ts`), so a checkout page runs against it as against Clearent. Results:
 * - Amounts follow Clearent's full sandbox trigger table (`triggers.ts`): 009, 011, 018 and 022 are
 *   HTTP 400, the other declines 402; 0.49, 0.80, 0.81, 0.82 and unlisted amounts approve, except that
 *   a JWT sale under 1.00 not in the table declines (402, 023) while `mobileAmountsUnderOneDecline` is on.
 * - Expired cards decline (004); a deleted token or a card number failing Luhn declines (009).
 * - `SandboxBehaviour` (`behaviour.ts`) picks the documented variants: search lag, how an empty search
 *   is answered (204 by default), duplicate detection answering the earlier sale (Clearent's default)
 *   or 402 032. Set at start (`behaviour`), by `configure`, or with `PUT /_sandbox/behaviour`.
 * - Searches never carry the card token id; only the sale's own answer does (`token` link, tokenResponse).
 * - Faults (`faults.ts`) are queued per request: late answers, late completions judged by the clock
 *   (`flushDue`), 5xx before or after processing, resets, malformed bodies, unasked-for XML.
 * - The ledger records what was charged, card data masked only, indexed so that it stays fast at
 *   100,000 transactions. With `dataDir`, it and the JWTs survive a restart (`journal.ts`).
 *
 * @example
 * const sandbox = await startSandbox({ behaviour: { emptySearchStatus: 404 } });
 * const jwt = sandbox.issueJwt();
 * await fetch(`${sandbox.url}/rest/v2/mobile/transactions/sale`, { method: 'POST', headers: {...}, body });
 * sandbox.ledger.chargeCount; // 1
 * await sandbox.close();
 */
import type { AddressInfo } from 'node:net';
import { changeBehaviour, DEFAULT_SANDBOX_BEHAVIOUR, type SandboxBehaviour } from './behaviour';
import type { SandboxState } from './context';
import { type FaultInjection, FaultQueue } from './faults';
import { issueCardJwt } from './handlers/mobile-jwt';
import { LateCompletions } from './late-completions';
import { type SandboxLedger, viewLedger } from './ledger-view';
import { createGatewayServer } from './server';
import { openStore } from './store';

export type { DuplicateDetection, SandboxBehaviour } from './behaviour';
export { DEFAULT_SANDBOX_BEHAVIOUR } from './behaviour';
export type { FaultInjection, SandboxOperation } from './faults';
export type { LedgerToken, LedgerTransaction } from './ledger';
export type { SandboxLedger } from './ledger-view';

/** Obviously fake: the only key a default simulator accepts. */
export const SANDBOX_DEFAULT_API_KEY = 'sandbox_test_api_key_not_a_secret';
export const SANDBOX_DEFAULT_PORT = 3001;
/** Clearent's sandbox test card. */
export const SANDBOX_TEST_CARD = '4111111111111111';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  apiKey?: string;
  /** How long an issued JWT can be used; default 10 minutes. */
  jwtTtlMs?: number;
  /** Unset fields take `DEFAULT_SANDBOX_BEHAVIOUR`; `reset()` comes back to this. */
  behaviour?: Partial<SandboxBehaviour>;
  /** Added to every gateway answer; default 0. */
  latencyMs?: number;
  /**
   * The simulator's clock: JWT expiry, timestamps, duplicate window, card expiry, search lag and when a
   * late completion is due.
   */
  now?: () => Date;
  /**
   * Where transactions, tokens, JWTs (with their signing secret) and id counters are kept, as a journal
   * replayed at start; absent keeps everything in memory. Faults and behaviour are never kept.
   */
  dataDir?: string;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:40123`: the `baseUrl` for a Clearent client. */
  readonly url: string;
  readonly apiKey: string;
  readonly ledger: SandboxLedger;
  /** The behaviour now in force (a frozen copy). */
  readonly behaviour: SandboxBehaviour;
  /** Changes some of the behaviour from now on; throws when the change is invalid. */
  configure(change: Partial<SandboxBehaviour>): void;
  /** Queues a fault for the next matching request(s); throws when the fault is invalid. */
  injectFault(fault: FaultInjection): void;
  clearFaults(): void;
  /** Processes every `late-completion` due by the simulator clock; answers how many. */
  flushDue(): number;
  /**
   * Forgets every transaction, token, JWT, fault, pending late completion and request count, and
   * restores the behaviour given at start. Id counters keep counting.
   */
  reset(): void;
  /** What the browser SDK would obtain for this card: a one-time JWT. */
  issueJwt(card?: string, expDate?: string): string;
  /** Stops listening; pending late completions are dropped unprocessed, delayed answers cut short. */
  close(): Promise<void>;
}

const DEFAULT_JWT_TTL_MS = 10 * 60 * 1000;

/** Starts a simulator on 127.0.0.1; resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? (() => new Date());
  const startBehaviour = changeBehaviour(DEFAULT_SANDBOX_BEHAVIOUR, options.behaviour ?? {});
  const store = openStore({
    dataDir: options.dataDir,
    jwtTtlMs: options.jwtTtlMs ?? DEFAULT_JWT_TTL_MS,
    now,
  });
  const state: SandboxState = {
    ledger: store.ledger,
    jwts: store.jwts,
    faults: new FaultQueue(),
    now,
    apiKey: options.apiKey ?? SANDBOX_DEFAULT_API_KEY,
    behaviour: startBehaviour,
    latencyMs: options.latencyMs ?? 0,
  };
  const lateCompletions = new LateCompletions(now);
  const reset = () => {
    lateCompletions.abandonAll();
    store.reset();
    state.faults.clear();
    state.behaviour = startBehaviour;
  };
  const { server, cancelDelays } = createGatewayServer(state, { reset, lateCompletions });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    apiKey: state.apiKey,
    ledger: viewLedger(state.ledger),
    get behaviour() {
      return state.behaviour;
    },
    configure: (change) => {
      state.behaviour = changeBehaviour(state.behaviour, change);
    },
    injectFault: (fault) => state.faults.add(fault),
    clearFaults: () => state.faults.clear(),
    flushDue: () => lateCompletions.flushDue(),
    reset,
    issueJwt: (card = SANDBOX_TEST_CARD, expDate = '1228') => issueCardJwt(state.jwts, card, expDate),
    close: () =>
      new Promise<void>((resolve, reject) => {
        lateCompletions.abandonAll();
        cancelDelays();
        server.close((error) => {
          store.close();
          return error ? reject(error) : resolve();
        });
        server.closeAllConnections();
      }),
  };
}
