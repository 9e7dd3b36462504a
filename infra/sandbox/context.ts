/** What every request handler of the simulator is given. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxBehaviour } from './behaviour';
import type { FaultQueue } from './faults';
import type { RequestBody } from './fields';
import type { JwtVault } from './jwt';
import type { Ledger } from './ledger';
import type { GatewayReply } from './wire';

/** The simulator's state, shared by all requests of one instance. */
export interface SandboxState {
  readonly ledger: Ledger;
  readonly jwts: JwtVault;
  readonly faults: FaultQueue;
  readonly now: () => Date;
  readonly apiKey: string;
  /** Replaced as a whole by `configure` (each value is frozen). */
  behaviour: SandboxBehaviour;
  readonly latencyMs: number;
}

export interface GatewayRequest {
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body; empty for GET and DELETE. */
  readonly body: RequestBody;
  /** `{id}` of `/rest/v2/tokens/{id}`. */
  readonly pathId?: string;
  /** e.g. `POST /rest/v2/transactions/sale`: how the request is counted and recorded. */
  readonly endpoint: string;
  readonly exchangeId: string;
  /** When it is processed: its arrival, or the due time of a `late-completion`. */
  readonly receivedAt: Date;
}

/** Handles one gateway request; throws `FieldError` for a 400. */
export type GatewayHandler = (request: GatewayRequest, state: SandboxState) => GatewayReply;
