/**
 * `POST /rest/v2/mobile/transactions/sale` (card from a one-time JWT) and `POST /rest/v2/transactions/sale`
 * (card number or card token id in `card`). The JWT is redeemed only once the body is valid, so a request
 * refused with a 400 leaves it usable.
 */
import { looksLikeCardNumber, maskCard, passesLuhn } from '../cards';
import type { GatewayHandler } from '../context';
import {
  expectType,
  FieldError,
  INVALID_CARD_NUMBER,
  INVALID_FIELD,
  INVALID_JWT,
  optionalFlag,
  requiredAmount,
  requiredExpDate,
  requiredString,
} from '../fields';
import type { JwtRefusal } from '../jwt';
import { chargeCard, type Refusal, saleDetails } from './charge';

const JWT_REFUSALS: Record<JwtRefusal, string> = {
  malformed: 'Invalid mobile JWT',
  unknown: 'Invalid mobile JWT',
  expired: 'Mobile JWT has expired',
  used: 'Mobile JWT has already been used',
};

const INVALID_CARD: Refusal = {
  resultCode: INVALID_CARD_NUMBER,
  displayMessage: 'Invalid card number',
  httpStatus: 402,
};

/** JWT sale: `software-type` and `software-type-version` are required here, as on every mobile endpoint. */
export const mobileSale: GatewayHandler = (request, state) => {
  const body = request.body;
  expectType(body, 'SALE', true);
  const amount = requiredAmount(body);
  requiredString(body, 'software-type');
  requiredString(body, 'software-type-version');
  const createToken = optionalFlag(body, 'create-token');
  const details = saleDetails(body);
  const jwt = request.headers.mobilejwt;
  if (typeof jwt !== 'string' || jwt === '') {
    throw new FieldError(INVALID_JWT, 'mobilejwt header is required');
  }
  const redemption = state.jwts.redeem(jwt, request.receivedAt);
  if (!redemption.ok) throw new FieldError(INVALID_JWT, JWT_REFUSALS[redemption.refusal]);
  return chargeCard({ amount, mobile: true, card: redemption.card, createToken, details }, request, state);
};

/**
 * Card or token sale. A token id that was deleted, or a card number failing its checksum, is declined
 * (402, result code 009 "Invalid card number") and recorded, as an issuer would decline it.
 */
export const cardSale: GatewayHandler = (request, state) => {
  const body = request.body;
  expectType(body, 'SALE', false);
  const amount = requiredAmount(body);
  const cardField = requiredString(body, 'card');
  const expDate = requiredExpDate(body);
  const createToken = optionalFlag(body, 'create-token');
  const details = saleDetails(body);
  const token = state.ledger.findToken(cardField);
  if (token) {
    const card = { ...token.card, expDate };
    const cardRefusal = token.deleted ? INVALID_CARD : undefined;
    const input = {
      amount,
      mobile: false,
      card,
      tokenId: token.tokenId,
      createToken: false,
      details,
      cardRefusal,
    };
    return chargeCard(input, request, state);
  }
  if (!looksLikeCardNumber(cardField)) {
    throw new FieldError(INVALID_FIELD, 'card must be a card number or a card token id');
  }
  const cardRefusal = passesLuhn(cardField) ? undefined : INVALID_CARD;
  const card = maskCard(cardField, expDate);
  return chargeCard({ amount, mobile: false, card, createToken, details, cardRefusal }, request, state);
};
