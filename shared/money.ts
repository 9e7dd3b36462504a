/**
 * Money is held as a whole number of cents, never as a float.
 * `Cents` is branded so that a bare number cannot be passed where an amount is meant.
 *
 * @example
 * const amount = parseAmount('25.5'); // 2550 cents
 * formatAmount(amount);               // '25.50'
 */
export type Cents = number & { readonly __brand: 'Cents' };

/** What `parseAmount` accepts (also the pattern the OpenAPI document gives amounts). */
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
}

/** Wraps a whole number of cents, refusing anything that is not a safe non-negative integer. */
export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidAmountError(`not a whole, non-negative number of cents: ${value}`);
  }
  return value as Cents;
}

/**
 * Parses a decimal dollar string ("25.55", "99", "0.50") into cents, by string arithmetic only.
 * Throws InvalidAmountError for anything else: signs, exponents, spaces, three decimals.
 */
export function parseAmount(text: string): Cents {
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) {
    throw new InvalidAmountError('amount must be a decimal string with at most two decimals, like "25.55"');
  }
  const dollars = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return cents(Number(dollars) * 100 + Number(fraction));
}

/** Formats cents as a dollar string with exactly two decimals: 9900 → "99.00". */
export function formatAmount(amount: Cents): string {
  const whole = Math.floor(amount / 100);
  const fraction = String(amount % 100).padStart(2, '0');
  return `${whole}.${fraction}`;
}

export function addCents(a: Cents, b: Cents): Cents {
  return cents(a + b);
}

export function subtractCents(a: Cents, b: Cents): Cents {
  return cents(a - b);
}
