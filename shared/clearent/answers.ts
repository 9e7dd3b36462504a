/**
 * What an HTTP answer from Clearent means, per kind of call. The one place that maps statuses and
 * envelopes to results or typed errors. A call that may charge reads "approved" only from a 2xx
 * transaction saying APPROVED, and "declined" only from a transaction or an explicit 402 refusal:
 * anything else it cannot read is malformed (the client reports the outcome as unknown), never a decline.
 */
import {
  type Envelope,
  MalformedAnswerError,
  parseEnvelope,
  transactionsOf,
  tryParseEnvelope,
} from './envelope';
import {
  GatewayAuthenticationError,
  type GatewayError,
  GatewayInvalidRequestError,
  GatewayOutcomeUnknownError,
  GatewayUnavailableError,
} from './errors';
import { refusalOf, toGatewayToken, toGatewayTransaction } from './normalize';
import { scrubTranscript } from './scrub';
import type { HttpAnswer } from './transport';
import type { GatewayOutcome, GatewayToken, GatewayTransaction } from './types';

/** A result with the facts worth logging about the answer it came from. */
export interface Read<Value> {
  value: Value;
  exchangeId?: string;
  resultCode?: string;
  outcome?: GatewayOutcome;
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

function detailsOf(answer: HttpAnswer, envelope: Envelope | undefined) {
  return {
    httpStatus: answer.status,
    resultCode: envelope?.payload?.error?.['result-code'],
    exchangeId: envelope?.['exchange-id'],
  };
}

/** Statuses that mean the same whatever was asked; undefined when the status alone does not decide. */
function failureByStatus(answer: HttpAnswer, envelope: Envelope | undefined, mayCharge: boolean) {
  const { status } = answer;
  const details = detailsOf(answer, envelope);
  if (status === 401 || status === 403) {
    return new GatewayAuthenticationError(`Clearent refused the api-key (HTTP ${status})`, details);
  }
  // Clearent may answer 5xx after it charged (clearent-gateway.md): for a sale, refund or void any 5xx
  // leaves the outcome unknown. Only a 429 says the request was not processed.
  if (mayCharge && status >= 500) {
    return new GatewayOutcomeUnknownError(`Clearent answered HTTP ${status}`, details);
  }
  if (status === 429 || status >= 500) {
    return new GatewayUnavailableError(`Clearent answered HTTP ${status}`, details);
  }
  return undefined;
}

function invalidRequest(answer: HttpAnswer, envelope: Envelope | undefined): GatewayError {
  const details = detailsOf(answer, envelope);
  const reason = envelope?.payload?.error?.['error-message'];
  const suffix = reason === undefined ? '' : `: ${scrubTranscript(reason)}`;
  return new GatewayInvalidRequestError(
    `Clearent rejected the request (HTTP ${answer.status}, result-code ${details.resultCode ?? 'none'})${suffix}`,
    details,
  );
}

function readOf(value: GatewayTransaction): Read<GatewayTransaction> {
  return { value, exchangeId: value.exchangeId, resultCode: value.resultCode, outcome: value.outcome };
}

/** Reads the answer to a sale, refund or void (`type` is SALE, REFUND or VOID). */
export function readCharge(answer: HttpAnswer, type: string): Read<GatewayTransaction> {
  const envelope = tryParseEnvelope(answer);
  const failure = failureByStatus(answer, envelope, true);
  if (failure) throw failure;
  if (envelope === undefined) {
    if (answer.status === 400 || answer.status === 404) throw invalidRequest(answer, envelope);
    throw new MalformedAnswerError(`HTTP ${answer.status} answer is not a Clearent envelope`, answer.status);
  }
  const [first, ...others] = transactionsOf(envelope);
  if (first !== undefined) {
    const context = { type, httpStatus: answer.status, alone: others.length === 0 };
    const transaction = toGatewayTransaction(first, envelope, context);
    if (transaction.outcome === 'approved' && !isSuccess(answer.status)) {
      throw new MalformedAnswerError(`HTTP ${answer.status} answer says APPROVED`, answer.status);
    }
    return readOf(transaction);
  }
  if (answer.status === 402) return readOf(refusalOf(envelope, type));
  if (answer.status === 400 || answer.status === 404) throw invalidRequest(answer, envelope);
  throw new MalformedAnswerError(`HTTP ${answer.status} answer carries no transaction`, answer.status);
}

/**
 * Reads the answer to a lookup or search. "Nothing found" only from a 404 or a clean success with
 * no transaction: a caller resends a timed-out sale on it, so an error is never read as "not found".
 */
export function readTransactions(answer: HttpAnswer): Read<GatewayTransaction[]> {
  const envelope = tryParseEnvelope(answer);
  // 404 and 204 No Content are documented ways of saying "nothing matches".
  if (answer.status === 404 || answer.status === 204) {
    return { value: [], exchangeId: envelope?.['exchange-id'] };
  }
  const failure = failureByStatus(answer, envelope, false);
  if (failure) throw failure;
  const parsed = parseEnvelope(answer);
  const raws = transactionsOf(parsed);
  // A search result's type is only what Clearent says: never assumed to be a sale.
  const context = { type: undefined, httpStatus: answer.status, alone: raws.length === 1 };
  const value = raws.map((raw) => toGatewayTransaction(raw, parsed, context));
  if (value.length > 0 || (isSuccess(answer.status) && parsed.payload?.error === undefined)) {
    return { value, exchangeId: parsed['exchange-id'] };
  }
  if (answer.status >= 400) throw invalidRequest(answer, parsed);
  throw new MalformedAnswerError(`HTTP ${answer.status} answer to a lookup`, answer.status);
}

/** Reads the answer to a token read; undefined when Clearent has no such token. */
export function readToken(answer: HttpAnswer, tokenId: string): Read<GatewayToken | undefined> {
  const envelope = tryParseEnvelope(answer);
  if (answer.status === 404) return { value: undefined, exchangeId: envelope?.['exchange-id'] };
  const failure = failureByStatus(answer, envelope, false);
  if (failure) throw failure;
  if (answer.status >= 400) throw invalidRequest(answer, envelope);
  const token = toGatewayToken(parseEnvelope(answer), tokenId);
  if (token === undefined || !isSuccess(answer.status)) {
    throw new MalformedAnswerError(`HTTP ${answer.status} answer carries no token`, answer.status);
  }
  return { value: token, exchangeId: envelope?.['exchange-id'] };
}

/** Reads the answer to a token deletion: true when deleted, false when there was no such token. */
export function readTokenDeletion(answer: HttpAnswer): Read<boolean> {
  const envelope = tryParseEnvelope(answer);
  const exchangeId = envelope?.['exchange-id'];
  if (answer.status === 404) return { value: false, exchangeId };
  const failure = failureByStatus(answer, envelope, false);
  if (failure) throw failure;
  if (answer.status >= 400) throw invalidRequest(answer, envelope);
  if (!isSuccess(answer.status)) {
    throw new MalformedAnswerError(`HTTP ${answer.status} answer to a token deletion`, answer.status);
  }
  return { value: true, exchangeId };
}
