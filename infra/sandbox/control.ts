/**
 * The simulator's own control endpoints, for tests and for poking a running instance by hand. Not
 * Clearent's: no api-key, plain JSON, never faulted, not counted.
 *
 * - `POST /_sandbox/faults` body: one fault or an array (see `faults.ts`) → 201 with the pending faults
 * - `GET /_sandbox/faults` → the pending faults; `DELETE /_sandbox/faults` → clears them
 * - `GET /_sandbox/behaviour` → the behaviour (see `behaviour.ts`); `PUT /_sandbox/behaviour` body: a
 *   partial behaviour → 200 with the whole new behaviour, 400 when it makes no sense
 * - `GET /_sandbox/ledger[?offset=&limit=]` → the ledger (amounts in cents, dates as ISO strings); the
 *   transactions from `offset` (default 0), at most `limit` (default all) of them
 * - `POST /_sandbox/reset` → forgets every transaction, token, JWT, fault, pending late completion and
 *   request count, and restores the behaviour the simulator started with
 */
import * as z from 'zod';
import { behaviourChangeSchema, changeBehaviour } from './behaviour';
import type { SandboxState } from './context';
import { faultInjectionSchema } from './faults';
import { ledgerAsJson } from './ledger-view';

export const CONTROL_PREFIX = '/_sandbox/';

export interface ControlAnswer {
  status: number;
  body: unknown;
}

const wholeNumber = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const ledgerPageSchema = z.strictObject({ offset: wholeNumber.optional(), limit: wholeNumber.optional() });

/** Answers a control request; `reset` forgets the instance's state. */
export function handleControl(
  method: string,
  url: URL,
  rawBody: string,
  state: SandboxState,
  reset: () => void,
): ControlAnswer {
  const route = `${method} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'POST faults':
      return queueFaults(rawBody, state);
    case 'GET faults':
      return { status: 200, body: { faults: state.faults.pending() } };
    case 'DELETE faults':
      state.faults.clear();
      return { status: 200, body: { faults: [] } };
    case 'GET behaviour':
      return { status: 200, body: state.behaviour };
    case 'PUT behaviour':
      return configure(rawBody, state);
    case 'GET ledger':
      return ledgerPage(url, state);
    case 'POST reset':
      reset();
      return { status: 200, body: { reset: true } };
    default:
      return { status: 404, body: { error: `no control endpoint ${method} ${url.pathname}` } };
  }
}

function queueFaults(rawBody: string, state: SandboxState): ControlAnswer {
  const parsed = parseJson(rawBody);
  const result = faultInjectionSchema.array().safeParse(Array.isArray(parsed) ? parsed : [parsed]);
  if (!result.success) return { status: 400, body: { error: result.error.message } };
  for (const fault of result.data) state.faults.add(fault);
  return { status: 201, body: { faults: state.faults.pending() } };
}

function configure(rawBody: string, state: SandboxState): ControlAnswer {
  const result = behaviourChangeSchema.safeParse(parseJson(rawBody));
  if (!result.success) return { status: 400, body: { error: result.error.message } };
  state.behaviour = changeBehaviour(state.behaviour, result.data);
  return { status: 200, body: state.behaviour };
}

function ledgerPage(url: URL, state: SandboxState): ControlAnswer {
  const result = ledgerPageSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!result.success) return { status: 400, body: { error: 'offset and limit must be whole numbers' } };
  return { status: 200, body: ledgerAsJson(state.ledger, result.data) };
}

/** The JSON body, or `undefined` (which every schema here refuses) when it is not JSON. */
function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}
