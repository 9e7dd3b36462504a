/**
 * The simulator's own control endpoints, for tests and for poking a running instance by hand. Not
 * Clearent's: no api-key, plain JSON, never faulted, not counted.
 *
 * - `POST /_sandbox/faults` body: one fault or an array (see `faults.ts`) → 201 with the pending faults
 * - `GET /_sandbox/faults` → the pending faults; `DELETE /_sandbox/faults` → clears them
 * - `GET /_sandbox/ledger` → the ledger (amounts in cents, dates as ISO strings)
 * - `POST /_sandbox/reset` → forgets every transaction, token, JWT, fault and request count
 */
import type { SandboxState } from './context';
import { faultInjectionSchema } from './faults';
import { ledgerAsJson, viewLedger } from './ledger-view';

export const CONTROL_PREFIX = '/_sandbox/';

export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** Answers a control request; `reset` forgets the instance's state. */
export function handleControl(
  method: string,
  path: string,
  rawBody: string,
  state: SandboxState,
  reset: () => void,
): ControlAnswer {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'POST faults':
      return queueFaults(rawBody, state);
    case 'GET faults':
      return { status: 200, body: { faults: state.faults.pending() } };
    case 'DELETE faults':
      state.faults.clear();
      return { status: 200, body: { faults: [] } };
    case 'GET ledger':
      return { status: 200, body: ledgerAsJson(viewLedger(state.ledger)) };
    case 'POST reset':
      reset();
      return { status: 200, body: { reset: true } };
    default:
      return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
  }
}

function queueFaults(rawBody: string, state: SandboxState): ControlAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: 'body must be a JSON fault or array of faults' } };
  }
  const result = faultInjectionSchema.array().safeParse(Array.isArray(parsed) ? parsed : [parsed]);
  if (!result.success) return { status: 400, body: { error: result.error.message } };
  for (const fault of result.data) state.faults.add(fault);
  return { status: 201, body: { faults: state.faults.pending() } };
}
