/**
 * What free-text fields (`description`, `reason`, `orderId`, customer ids) may not hold (contract,
 * Routes): control characters, and anything that looks like a card number: 13 to 19 digits, spaces or
 * dashes allowed between them, passing the Luhn check. Such text would carry card data into our table,
 * our logs and Clearent's `order-id`.
 *
 * @example containsCardNumber('Paid with 4111 1111 1111 1111'); // true
 */

/**
 * Characters that change how text reads without being seen: Unicode's control characters (C0, DEL and
 * C1), the bidirectional formatting characters (embeddings, overrides, isolates and marks: the text a
 * dashboard or a receipt shows is not the text stored, as in "Trojan Source"), the line and paragraph
 * separators, and the invisible zero-width space, word joiner and byte order mark.
 */
const CONTROL_CHARACTER =
  /[\p{Cc}\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

/** What may stand between the digits of a card number: spaces and dashes of any script. */
const SEPARATOR = /[\s\p{Pd}\u2212]/gu;
/** A run of digits, each separated from the next by at most three spaces or dashes. */
const DIGIT_RUN = /\p{Nd}(?:[\s\p{Pd}\u2212]{0,3}\p{Nd})*/gu;
const DECIMAL_DIGIT = /\p{Nd}/u;

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

/**
 * The value of a decimal digit of any script. Unicode encodes each script's digits as runs of ten
 * consecutive code points from zero to nine (some runs follow each other), so a digit's value is its
 * distance from the start of its runs, modulo ten.
 */
function digitValue(digit: string): string {
  const code = digit.codePointAt(0) ?? 0;
  if (code <= 0x7f) return digit;
  let distance = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(code - distance - 1))) distance++;
  return String(distance % 10);
}

/**
 * Whether the text holds a card number, however it is spelt: digits of any script or width (NFKC turns
 * full-width and styled digits into ASCII ones), separated by spaces or dashes of any kind, or by
 * invisible format characters (dropped before looking).
 */
export function containsCardNumber(text: string): boolean {
  const visible = text.normalize('NFKC').replace(/\p{Cf}/gu, '');
  for (const [run] of visible.matchAll(DIGIT_RUN)) {
    const digits = [...run.replace(SEPARATOR, '')].map(digitValue).join('');
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
  }
  return false;
}
