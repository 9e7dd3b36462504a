/**
 * What free-text fields (`description`, `reason`, `orderId`, customer ids) may not hold (contract,
 * Routes): control characters, and anything that looks like a card number: 13 to 19 digits, spaces or
 * dashes allowed between them, passing the Luhn check. Such text would carry card data into our table,
 * our logs and Clearent's `order-id`.
 *
 * @example containsCardNumber('Paid with 4111 1111 1111 1111'); // true
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** A run of digits, each separated from the next by at most one space or dash. */
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;

export function containsControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** The Luhn checksum every real card number satisfies. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function containsCardNumber(text: string): boolean {
  for (const [run] of text.matchAll(DIGIT_RUN)) {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
  }
  return false;
}
