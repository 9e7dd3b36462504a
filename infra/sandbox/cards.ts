/**
 * Card facts the simulator keeps. A card number is only ever looked at to validate it and to read its
 * brand and last four digits: the simulator never stores or echoes a full card number.
 */
import { passesLuhn } from '../../shared/http/free-text';

export { passesLuhn };

/** What the simulator remembers of a card: never the number itself. */
export interface MaskedCard {
  lastFour: string;
  cardType: string;
  /** MMYY. */
  expDate: string;
}

const CARD_NUMBER_PATTERN = /^\d{12,19}$/;
const EXP_DATE_PATTERN = /^(0[1-9]|1[0-2])(\d{2})$/;

/** Digits only, 12 to 19 of them (the shape check; see `passesLuhn` for the checksum). */
export function looksLikeCardNumber(value: string): boolean {
  return CARD_NUMBER_PATTERN.test(value);
}

/** A plausible card number: the right shape and a valid checksum. */
export function isValidCardNumber(value: string): boolean {
  return looksLikeCardNumber(value) && passesLuhn(value);
}

/** Clearent's `card-type` from the card number's leading digits. */
export function cardTypeOf(cardNumber: string): string {
  if (/^3[47]/.test(cardNumber)) return 'AMERICAN EXPRESS';
  if (/^4/.test(cardNumber)) return 'VISA';
  if (/^(5[1-5]|2[2-7])/.test(cardNumber)) return 'MASTERCARD';
  if (/^6(011|5)/.test(cardNumber)) return 'DISCOVER';
  return 'UNKNOWN';
}

/** Keeps what may be kept of a card number: brand and last four digits. */
export function maskCard(cardNumber: string, expDate: string): MaskedCard {
  return { lastFour: cardNumber.slice(-4), cardType: cardTypeOf(cardNumber), expDate };
}

/** Clearent's masked `card` field: `XXXXXXXXXXXX1111`. */
export function maskedCardNumber(lastFour: string): string {
  return `XXXXXXXXXXXX${lastFour}`;
}

export function isExpDate(value: string): boolean {
  return EXP_DATE_PATTERN.test(value);
}

/** A card is good through the last day of its MMYY month (UTC). */
export function isExpired(expDate: string, now: Date): boolean {
  const match = EXP_DATE_PATTERN.exec(expDate);
  if (!match) return true;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  const firstDayAfterExpiry = Date.UTC(year, month, 1);
  return now.getTime() >= firstDayAfterExpiry;
}
