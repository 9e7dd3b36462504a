/**
 * The simulator's durable state, the ledger and the JWTs: in memory, or with a data folder in an
 * append-only journal (see `journal.ts`) replayed here at start, so that after a restart saved card
 * tokens can still be charged, old sales refunded and issued JWTs redeemed (once).
 */

import { memoryJournal, openFileJournal } from './journal';
import { type JwtEvent, JwtVault } from './jwt';
import { Ledger, type LedgerEvent, type ResetEvent } from './ledger';

export type SandboxEvent = LedgerEvent | JwtEvent;

export interface SandboxStore {
  readonly ledger: Ledger;
  readonly jwts: JwtVault;
  /** Forgets every transaction, token, JWT and request count; the id counters and the JWT secret stay. */
  reset(): void;
  close(): void;
}

export interface StoreOptions {
  /** Where the journal lives; absent keeps everything in memory. */
  dataDir?: string;
  jwtTtlMs: number;
  now: () => Date;
}

export function openStore(options: StoreOptions): SandboxStore {
  const { journal, events } = options.dataDir
    ? openFileJournal<SandboxEvent>(options.dataDir)
    : { journal: memoryJournal<SandboxEvent>(), events: [] };
  const ledger = new Ledger(journal);
  const jwts = new JwtVault(options.jwtTtlMs, options.now, journal);
  const apply = (event: SandboxEvent) => {
    switch (event.kind) {
      case 'reset':
        ledger.apply(event);
        return jwts.apply(event);
      case 'jwt-secret':
      case 'jwt-issued':
      case 'jwt-redeemed':
        return jwts.apply(event);
      default:
        return ledger.apply(event);
    }
  };
  for (const event of events) apply(event);
  return {
    ledger,
    jwts,
    reset: () => {
      const event: ResetEvent = { kind: 'reset' };
      journal.append(event);
      apply(event);
    },
    close: () => journal.close(),
  };
}
