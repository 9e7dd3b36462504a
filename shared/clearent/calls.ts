/**
 * Runs one gateway call: its HTTP attempts, the resend rules, the call records, and the mapping of every
 * failure to a typed GatewayError. Clearent has no idempotency key, so a call that may charge is sent
 * once, and resent only when the request provably never left (a stale kept-alive socket).
 */

import { lookupBackoffMs } from '../time-budget';
import type { Read } from './answers';
import { MalformedAnswerError } from './envelope';
import { GatewayError, GatewayOutcomeUnknownError, GatewayUnavailableError } from './errors';
import {
  type HttpAnswer,
  type HttpRequest,
  type HttpTransport,
  isStaleSocketFailure,
  TransportFailure,
} from './transport';
import type { GatewayCallRecord } from './types';

export interface CallPlan<Value> {
  operation: GatewayCallRecord['operation'];
  request: HttpRequest;
  /** What the call record shows as the path: ids of tokens and queried values are replaced by placeholders. */
  pathTemplate: string;
  /** A sale, refund or void: an answer we cannot read leaves the outcome unknown. */
  mayCharge: boolean;
  /** A read that cannot charge: retried on unavailable, timed-out or unreadable answers. */
  retryable: boolean;
  read: (answer: HttpAnswer) => Read<Value>;
}

export interface CallRunnerOptions {
  send: HttpTransport;
  maxLookupAttempts: number;
  onCall?: (record: GatewayCallRecord) => void;
}

/** Pause before the next lookup attempt, times the attempt number (part of the time budget). */
const LOOKUP_BACKOFF_MS = lookupBackoffMs;
/** Resends after a stale socket, per call: one is enough, the next socket is a fresh connection. */
const MAX_STALE_SOCKET_RESENDS = 1;

/** Maps anything an attempt threw to the GatewayError the caller must act on. */
export function toGatewayError(caught: unknown, mayCharge: boolean): GatewayError {
  if (caught instanceof GatewayError) return caught;
  const unknownOrUnavailable = (message: string, details: { httpStatus?: number; cause?: unknown }) =>
    mayCharge
      ? new GatewayOutcomeUnknownError(
          `${message}: the outcome is unknown, look it up before resending`,
          details,
        )
      : new GatewayUnavailableError(message, details);
  if (caught instanceof MalformedAnswerError) {
    return unknownOrUnavailable(`Clearent's answer could not be read (${caught.message})`, {
      httpStatus: caught.httpStatus,
    });
  }
  if (caught instanceof TransportFailure) {
    if (!caught.sent) {
      return new GatewayUnavailableError(`Clearent could not be reached (${caught.message})`, {
        cause: caught,
      });
    }
    return unknownOrUnavailable(`Clearent did not answer (${caught.message})`, { cause: caught });
  }
  return unknownOrUnavailable('Clearent call failed unexpectedly', { cause: caught });
}

type Attempt<Value> = { value: Value } | { error: GatewayError; staleSocket: boolean };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the function that runs calls, with the transport and the records shared by all of them. */
export function createCallRunner(options: CallRunnerOptions) {
  const report = (record: GatewayCallRecord): void => {
    try {
      options.onCall?.(record);
    } catch {
      // A failing logger must not turn a charge into an error: the charge happened.
    }
  };

  async function attempt<Value>(plan: CallPlan<Value>, attemptNumber: number): Promise<Attempt<Value>> {
    const started = performance.now();
    const record = { operation: plan.operation, method: plan.request.method, path: plan.pathTemplate };
    let httpStatus: number | undefined;
    try {
      const answer = await options.send(plan.request);
      httpStatus = answer.status;
      const read = plan.read(answer);
      report({
        ...record,
        httpStatus,
        exchangeId: read.exchangeId,
        resultCode: read.resultCode,
        outcome: read.outcome,
        durationMs: performance.now() - started,
        attempt: attemptNumber,
      });
      return { value: read.value };
    } catch (caught) {
      const error = toGatewayError(caught, plan.mayCharge);
      report({
        ...record,
        httpStatus: httpStatus ?? error.httpStatus,
        exchangeId: error.exchangeId,
        resultCode: error.resultCode,
        durationMs: performance.now() - started,
        error: error.name,
        attempt: attemptNumber,
      });
      const staleSocket = caught instanceof TransportFailure && isStaleSocketFailure(caught);
      return { error, staleSocket };
    }
  }

  return async function run<Value>(plan: CallPlan<Value>): Promise<Value> {
    let staleSocketResends = 0;
    for (let attemptNumber = 1; ; attemptNumber++) {
      const outcome = await attempt(plan, attemptNumber);
      if ('value' in outcome) return outcome.value;
      if (outcome.staleSocket && staleSocketResends < MAX_STALE_SOCKET_RESENDS) {
        staleSocketResends++;
        continue;
      }
      const lookupAttempts = attemptNumber - staleSocketResends;
      const transient = outcome.error instanceof GatewayUnavailableError;
      if (plan.retryable && transient && lookupAttempts < options.maxLookupAttempts) {
        await sleep(LOOKUP_BACKOFF_MS * lookupAttempts);
        continue;
      }
      throw outcome.error;
    }
  };
}
