/**
 * `POST /rest/v2/mobilejwt/manual` (header `public-key`): what Clearent's browser SDK does to turn a keyed
 * card into a one-time JWT. Test cards: any Luhn-valid number, e.g. 4111111111111111.
 */
import { isExpDate, isValidCardNumber, maskCard } from '../cards';
import type { GatewayHandler } from '../context';
import {
  FieldError,
  INVALID_CARD_NUMBER,
  INVALID_FIELD,
  optionalString,
  requiredExpDate,
  requiredString,
} from '../fields';
import type { JwtVault } from '../jwt';

const CSC_PATTERN = /^\d{3,4}$/;

export const issueMobileJwt: GatewayHandler = (request, state) => {
  const body = request.body;
  const cardNumber = requiredString(body, 'card');
  const expDate = requiredExpDate(body);
  const csc = optionalString(body, 'csc');
  if (csc !== undefined && !CSC_PATTERN.test(csc))
    throw new FieldError(INVALID_FIELD, 'csc must be 3 or 4 digits');
  const jwt = issueCardJwt(state.jwts, cardNumber, expDate);
  return {
    code: '200',
    status: 'success',
    'exchange-id': request.exchangeId,
    payload: { 'mobile-jwt': { jwt, 'last-four': cardNumber.slice(-4) }, payloadType: 'mobile-jwt' },
  };
};

/** Validates a card and issues a JWT for it; throws `FieldError` (009 invalid number, 002 bad exp-date). */
export function issueCardJwt(jwts: JwtVault, cardNumber: string, expDate: string): string {
  if (!isValidCardNumber(cardNumber)) {
    throw new FieldError(INVALID_CARD_NUMBER, 'Invalid card number');
  }
  if (!isExpDate(expDate)) throw new FieldError(INVALID_FIELD, 'exp-date must be MMYY');
  return jwts.issue(maskCard(cardNumber, expDate));
}
