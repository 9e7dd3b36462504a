/**
 * Charging a card, shared by the JWT sale and the card/token sale, in this order: a refusal known from
 * the card itself, duplicate detection (when on: the earlier sale answered 200 and nothing recorded, or
 * a 402 032 decline), expiry (004), the trigger table, and, for a JWT sale under 1.00 not in the table,
 * a decline (402, 023) when `mobileAmountsUnderOneDecline` is on; otherwise approval (creating a card
 * token when asked). Declines are recorded like approvals.
 */
import { randomInt } from 'node:crypto';
import { type Cents, cents } from '../../../shared/money';
import { isExpired, type MaskedCard } from '../cards';
import type { GatewayRequest, SandboxState } from '../context';
import { earlierDuplicate } from '../duplicates';
import { previouslyApprovedEnvelope, transactionEnvelope } from '../envelopes';
import { optionalString, type RequestBody } from '../fields';
import type { LedgerToken, NewTransaction } from '../ledger';
import { isTriggerAmount, triggeredResult } from '../triggers';
import type { Envelope } from '../wire';

export interface Refusal {
  resultCode: string;
  displayMessage: string;
  httpStatus: 400 | 402;
}

/** The optional fields integrators send with a sale, recorded and echoed back. */
export interface SaleDetails {
  invoice?: string;
  orderId?: string;
  customerId?: string;
  description?: string;
  softwareType?: string;
  softwareTypeVersion?: string;
}

export interface SaleInput {
  amount: Cents;
  /** A JWT sale, on the mobile endpoint. */
  mobile: boolean;
  card: MaskedCard;
  /** The card token charged, when `card` was a token id. */
  tokenId?: string;
  createToken: boolean;
  details: SaleDetails;
  /** A refusal already known from the card itself (e.g. a deleted token). */
  cardRefusal?: Refusal;
}

const APPROVED_MESSAGE = 'Transaction approved';
const ONE_DOLLAR = cents(100);
const DUPLICATE: Refusal = { resultCode: '032', displayMessage: 'Duplicate Transaction', httpStatus: 402 };
const EXPIRED: Refusal = { resultCode: '004', displayMessage: 'Card Expired', httpStatus: 402 };
const MOBILE_UNDER_ONE: Refusal = {
  resultCode: '023',
  displayMessage: 'Transaction Declined By Issuer',
  httpStatus: 402,
};

export function saleDetails(body: RequestBody): SaleDetails {
  return {
    invoice: optionalString(body, 'invoice'),
    orderId: optionalString(body, 'order-id'),
    customerId: optionalString(body, 'customer-id'),
    description: optionalString(body, 'description'),
    softwareType: optionalString(body, 'software-type'),
    softwareTypeVersion: optionalString(body, 'software-type-version'),
  };
}

/** Charges the card (or declines it), records the sale and answers Clearent's envelope. */
export function chargeCard(input: SaleInput, request: GatewayRequest, state: SandboxState): Envelope {
  const now = request.receivedAt;
  const sale: Omit<NewTransaction, 'result' | 'resultCode' | 'displayMessage' | 'tokenCreated'> = {
    type: 'SALE',
    amount: input.amount,
    card: input.card,
    tokenId: input.tokenId,
    ...input.details,
    endpoint: request.endpoint,
    created: now,
  };
  const duplicate = input.cardRefusal ? undefined : duplicateOf(input, state, now);
  if (duplicate?.respondWith === 'earlier-transaction') {
    return previouslyApprovedEnvelope(duplicate.earlier, request.exchangeId);
  }
  const refusal = input.cardRefusal ?? (duplicate ? DUPLICATE : saleRefusal(input, state, now));
  if (refusal) {
    const declined = state.ledger.record({ ...sale, ...declineOf(refusal), tokenCreated: false });
    return transactionEnvelope(declined, { exchangeId: request.exchangeId, httpStatus: refusal.httpStatus });
  }
  let createdToken: LedgerToken | undefined;
  if (input.tokenId !== undefined) {
    state.ledger.recordTokenUse(input.tokenId, now);
  } else if (input.createToken) {
    createdToken = state.ledger.createToken(input.card, now);
  }
  const approved = state.ledger.record({
    ...sale,
    tokenId: input.tokenId ?? createdToken?.tokenId,
    tokenCreated: createdToken !== undefined,
    ...approval(),
  });
  return transactionEnvelope(approved, { exchangeId: request.exchangeId, createdToken });
}

/** The fields of a declined transaction. */
export function declineOf(
  refusal: Refusal,
): Pick<NewTransaction, 'result' | 'resultCode' | 'displayMessage'> {
  return { result: 'DECLINED', resultCode: refusal.resultCode, displayMessage: refusal.displayMessage };
}

/** The fields of an approved transaction, with a fresh authorization code. */
export function approval(): Pick<
  NewTransaction,
  'result' | 'resultCode' | 'displayMessage' | 'authorizationCode'
> {
  const authorizationCode = `SBX${String(randomInt(1000)).padStart(3, '0')}`;
  return { result: 'APPROVED', resultCode: '000', displayMessage: APPROVED_MESSAGE, authorizationCode };
}

/** With duplicate detection on, the earlier sale this one repeats and how the gateway answers it. */
function duplicateOf(input: SaleInput, state: SandboxState, now: Date) {
  const rule = state.behaviour.duplicateDetection;
  if (!rule) return undefined;
  const fingerprint = { amount: input.amount, lastFour: input.card.lastFour, invoice: input.details.invoice };
  const earlier = earlierDuplicate(state.ledger.lookup, rule, fingerprint, now);
  return earlier && { earlier, respondWith: rule.respondWith };
}

function saleRefusal(input: SaleInput, state: SandboxState, now: Date): Refusal | undefined {
  if (isExpired(input.card.expDate, now)) return EXPIRED;
  if (isTriggerAmount(input.amount)) return triggeredResult(input.amount);
  const underOne = input.mobile && input.amount < ONE_DOLLAR;
  return underOne && state.behaviour.mobileAmountsUnderOneDecline ? MOBILE_UNDER_ONE : undefined;
}
