/**
 * Reading request fields the way Clearent validates them. A bad field throws `FieldError`, which the
 * server answers as a 400 envelope. Result codes (Clearent documents 002/011/041 as validation codes;
 * which means what is the simulator's choice): 011 a required field is missing, 002 a field is invalid,
 * 041 the mobile JWT is missing, invalid, expired or already used.
 */
import { type Cents, InvalidAmountError, parseAmount } from '../../shared/money';
import { isExpDate } from './cards';

export const MISSING_FIELD = '011';
export const INVALID_FIELD = '002';
export const INVALID_JWT = '041';
/** Clearent's own code for an invalid card number (answered 400 when the request itself carries it). */
export const INVALID_CARD_NUMBER = '009';

export class FieldError extends Error {
  override readonly name = 'FieldError';

  constructor(
    readonly resultCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** A parsed JSON request body: Clearent's fields are strings (booleans may also be true/false). */
export type RequestBody = Readonly<Record<string, unknown>>;

export function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new FieldError(INVALID_FIELD, `${field} must be a string`);
  return value;
}

export function requiredString(body: RequestBody, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw new FieldError(MISSING_FIELD, `${field} is required`);
  return value;
}

/** `amount` as a two-decimal string, greater than zero; a JSON number is refused, never rounded. */
export function requiredAmount(body: RequestBody): Cents {
  const text = requiredString(body, 'amount');
  try {
    const amount = parseAmount(text);
    if (amount > 0) return amount;
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
  }
  throw new FieldError(INVALID_FIELD, 'amount must be a decimal string greater than zero, like "25.00"');
}

export function requiredExpDate(body: RequestBody): string {
  const expDate = requiredString(body, 'exp-date');
  if (!isExpDate(expDate)) throw new FieldError(INVALID_FIELD, 'exp-date must be MMYY');
  return expDate;
}

/** Clearent sends flags both as "true" and as true. */
export function optionalFlag(body: RequestBody, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null || value === '' || value === false || value === 'false') {
    return false;
  }
  if (value === true || value === 'true') return true;
  throw new FieldError(INVALID_FIELD, `${field} must be "true" or "false"`);
}

/** `type`, when the endpoint already says it, may be omitted; if present it must match. */
export function expectType(body: RequestBody, expected: string, required: boolean): void {
  const type = required ? requiredString(body, 'type') : optionalString(body, 'type');
  if (type !== undefined && type.toUpperCase() !== expected) {
    throw new FieldError(INVALID_FIELD, `type must be ${expected} on this endpoint`);
  }
}
