/**
 * A local simulator of Clearent's REST v2 gateway (what stripe-mock is to Stripe), embeddable in tests
 * and in the local run, and runnable alone with `npm run sandbox`.
 *
 * It answers Clearent's JSON envelope (or XML unless `Accept` asks for JSON) for: JWT issuance
 * (`/rest/v2/mobilejwt/manual`), JWT sales, card and token sales, refunds, voids, transaction lookup and
 * search, and card tokens. Amounts follow Clearent's sandbox trigger table (see `triggers.ts`); every
 * other amount approves, unlike Clearent's note that mobile amounts under 1.00 decline. Faults can be
 * queued (see `faults.ts`), and a ledger records what was charged, with card data masked only.
 *
 * @example
 * const sandbox = await startSandbox();
 * const jwt = sandbox.issueJwt();
 * await fetch(`${sandbox.url}/rest/v2/mobile/transactions/sale`, { method: 'POST', headers: {...}, body });
 * sandbox.ledger.chargeCount; // 1
 * await sandbox.close();
 */
import type { AddressInfo } from 'node:net';
import type { SandboxState } from './context';
import type { DuplicateDetection } from './duplicates';
import { type FaultInjection, FaultQueue } from './faults';
import { issueCardJwt } from './handlers/mobile-jwt';
import { JwtVault } from './jwt';
import { Ledger } from './ledger';
import { type SandboxLedger, viewLedger } from './ledger-view';
import { createGatewayServer } from './server';

export type { DuplicateDetection } from './duplicates';
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
  /** Off by default. */
  duplicateDetection?: DuplicateDetection | false;
  /** Added to every gateway answer; default 0. */
  latencyMs?: number;
  /** The simulator's clock (JWT expiry, timestamps, duplicate window, card expiry). */
  now?: () => Date;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:40123`: the `baseUrl` for a Clearent client. */
  readonly url: string;
  readonly apiKey: string;
  readonly ledger: SandboxLedger;
  /** Queues a fault for the next matching request(s); throws when the fault is invalid. */
  injectFault(fault: FaultInjection): void;
  clearFaults(): void;
  /** Forgets every transaction, token, JWT, fault and request count. */
  reset(): void;
  /** What the browser SDK would obtain for this card: a one-time JWT. */
  issueJwt(card?: string, expDate?: string): string;
  close(): Promise<void>;
}

const DEFAULT_JWT_TTL_MS = 10 * 60 * 1000;

/** Starts a simulator on 127.0.0.1; resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? (() => new Date());
  const state: SandboxState = {
    ledger: new Ledger(),
    jwts: new JwtVault(options.jwtTtlMs ?? DEFAULT_JWT_TTL_MS, now),
    faults: new FaultQueue(),
    now,
    apiKey: options.apiKey ?? SANDBOX_DEFAULT_API_KEY,
    duplicateDetection: options.duplicateDetection ?? false,
    latencyMs: options.latencyMs ?? 0,
  };
  const reset = () => {
    state.ledger.reset();
    state.jwts.clear();
    state.faults.clear();
  };
  const { server, cancelDelays } = createGatewayServer(state, reset);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    apiKey: state.apiKey,
    ledger: viewLedger(state.ledger),
    injectFault: (fault) => state.faults.add(fault),
    clearFaults: () => state.faults.clear(),
    reset,
    issueJwt: (card = SANDBOX_TEST_CARD, expDate = '1228') => issueCardJwt(state.jwts, card, expDate),
    close: () =>
      new Promise<void>((resolve, reject) => {
        cancelDelays();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
