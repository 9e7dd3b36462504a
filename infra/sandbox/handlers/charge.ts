/**
 * Charging a card, shared by the JWT sale and the card/token sale: duplicate check, expiry, trigger
 * amounts, then approval (creating a card token when asked). Declines are recorded like approvals.
 */
import { randomInt } from 'node:crypto';
import type { Cents } from '../../../shared/money';
import { isExpired, type MaskedCard } from '../cards';
import type { GatewayRequest, SandboxState } from '../context';
import { isDuplicateSale } from '../duplicates';
import { transactionEnvelope } from '../envelopes';
import { optionalString, type RequestBody } from '../fields';
import type { LedgerToken, NewTransaction } from '../ledger';
import { triggeredResult } from '../triggers';
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
  card: MaskedCard;
  /** The card token charged, when `card` was a token id. */
  tokenId?: string;
  createToken: boolean;
  details: SaleDetails;
  /** A refusal already known from the card itself (e.g. a deleted token). */
  cardRefusal?: Refusal;
}

const APPROVED_MESSAGE = 'Transaction approved';

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
  const refusal = input.cardRefusal ?? saleRefusal(input, state, now);
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

function saleRefusal(input: SaleInput, state: SandboxState, now: Date): Refusal | undefined {
  const rule = state.duplicateDetection;
  const fingerprint = { amount: input.amount, lastFour: input.card.lastFour, invoice: input.details.invoice };
  if (rule && isDuplicateSale(state.ledger, rule, fingerprint, now)) {
    return { resultCode: '032', displayMessage: 'Duplicate transaction', httpStatus: 402 };
  }
  if (isExpired(input.card.expDate, now)) {
    return { resultCode: '004', displayMessage: 'Declined by Issuer - Expired card', httpStatus: 402 };
  }
  return triggeredResult(input.amount);
}
