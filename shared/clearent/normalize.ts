/**
 * From Clearent's validated envelope to the normalized results of `./types`. Amounts go through
 * shared/money's parseAmount, the one converter; gateway messages are scrubbed before they travel on.
 */
import { type Cents, parseAmount } from '../money';
import { type Envelope, MalformedAnswerError, type RawTransaction, tokenIdOf } from './envelope';
import { scrubTranscript } from './scrub';
import type { GatewayCard, GatewayToken, GatewayTransaction } from './types';

/** Where a transaction was read from, for defaults and error messages. */
export interface TransactionContext {
  /** The request's type (SALE, REFUND, VOID) when Clearent does not repeat it; none for a search. */
  type: string | undefined;
  httpStatus: number;
  /** Envelope-level facts (the `token` link, `tokenResponse`) belong to a transaction only when it is alone. */
  alone: boolean;
}

const MASKED_CARD = /^[X*]+(\d{4})$/i;

/** Removes unset fields, so that results carry only what Clearent said. */
function withoutUnset<Shape extends object>(shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).filter(([, value]) => value !== undefined)) as Shape;
}

function amountOf(amount: string | undefined, httpStatus: number): Cents | undefined {
  if (amount === undefined) return undefined;
  try {
    return parseAmount(amount);
  } catch {
    throw new MalformedAnswerError('transaction amount is not a two-decimal dollar string', httpStatus);
  }
}

function cardOf(raw: RawTransaction): GatewayCard {
  return withoutUnset({
    brand: raw['card-type'],
    last4: raw['last-four'] ?? MASKED_CARD.exec(raw.card ?? '')?.[1],
    expDate: raw['exp-date'],
  });
}

function scrubbed(message: string | undefined): string | undefined {
  return message === undefined ? undefined : scrubTranscript(message);
}

/**
 * Normalizes one transaction. Approved only when Clearent's `result` says APPROVED; a transaction
 * without a `result` is malformed, never guessed to be a decline.
 */
export function toGatewayTransaction(
  raw: RawTransaction,
  envelope: Envelope,
  context: TransactionContext,
): GatewayTransaction {
  const result = raw.result?.toUpperCase();
  if (result === undefined) {
    throw new MalformedAnswerError('transaction carries no result', context.httpStatus);
  }
  const approved = result === 'APPROVED';
  return withoutUnset({
    outcome: approved ? 'approved' : 'declined',
    type: raw.type ?? context.type,
    transactionId: raw.id,
    amount: amountOf(raw.amount, context.httpStatus),
    authorizationCode: raw['authorization-code'],
    resultCode: raw['result-code'] ?? (approved ? '000' : ''),
    message: scrubbed(raw['display-message']) ?? result,
    exchangeId: raw['exchange-id'] ?? envelope['exchange-id'],
    card: cardOf(raw),
    tokenId: raw['token-id'] ?? (context.alone ? tokenIdOf(envelope) : undefined),
    invoice: raw.invoice,
    orderId: raw['order-id'],
    created: raw.created,
  });
}

/** A refusal that carried no transaction (a 402 with only an error): still a decline, from the error. */
export function refusalOf(envelope: Envelope, type: string): GatewayTransaction {
  const error = envelope.payload?.error;
  return withoutUnset({
    outcome: 'declined',
    type,
    resultCode: error?.['result-code'] ?? '',
    message: scrubbed(error?.['error-message']) ?? 'Declined',
    exchangeId: envelope['exchange-id'],
    card: {},
  });
}

/** The token in a `tokenResponse`, or undefined when the payload holds none. */
export function toGatewayToken(envelope: Envelope, requestedTokenId: string): GatewayToken | undefined {
  const raw = envelope.payload?.tokenResponse;
  if (raw === undefined) return undefined;
  return withoutUnset({
    tokenId: raw['token-id'] ?? requestedTokenId,
    card: withoutUnset({
      brand: raw['card-type'],
      last4: raw['last-four-digits'] ?? raw['last-four'],
      expDate: raw['exp-date'],
    }),
    status: raw['token-status'] ?? raw.status,
  });
}
