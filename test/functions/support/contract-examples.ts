/**
 * Hand-written examples of what the API contract (/work/shared/api-contract.md) accepts and refuses, field
 * by field: the oracle of the request-fuzzing and validation tests.
 *
 * Nothing here is derived from the code under test: no pattern of shared/http/validation.ts, shared/money.ts
 * or shared/http/idempotency.ts is copied, so a wrong pattern there is caught instead of being mirrored.
 * Each table cites the contract's words it was written from. Where the contract is silent about a field's
 * exact limits (length, character set), only examples far from any reasonable limit are listed, on either
 * side: never a borderline guess.
 */

export interface FieldExamples {
  /** Values the contract accepts for the field. */
  readonly valid: readonly unknown[];
  /** Values the contract refuses (400) when present in a body; `null` only where it cannot mean "absent". */
  readonly invalid: readonly unknown[];
}

/**
 * JSON values that are not strings, refused by every string field. `null` is not among them: for an optional
 * field it could reasonably mean "absent" (the contract does not say), so it is only added for required
 * fields (see `REQUIRED_NULL`).
 */
export const NOT_STRINGS: readonly unknown[] = [42, 0, -1, 1.5, true, false, {}, [], ['x'], { value: 'x' }];

/** A required field sent as `null` is missing a value: invalid whatever the field. */
export const REQUIRED_NULL: readonly unknown[] = [null];

/**
 * Contract, Errors/Routes: "Free-text fields (`description`, `reason`, `orderId`, customer ids) refuse control
 * characters [...]: `400` naming the field." Control characters are Unicode's Cc: C0, DEL and C1.
 */
export const CONTROL_CHARACTER_TEXTS: readonly string[] = [
  'line\nbreak',
  'carriage\rreturn',
  'tab\tseparated',
  'nul\u0000byte',
  'bell\u0007',
  'escape\u001b[31m',
  'delete\u007f',
  'next line\u0085',
];

/**
 * Contract, Routes: free-text fields refuse "anything that looks like a card number (13 to 19 digits, spaces or
 * dashes allowed between them, passing the Luhn check)". Well-known test card numbers, all passing Luhn
 * (checked by test/shared/http/validation.test.ts), from 13 to 19 digits.
 */
export const CARD_NUMBERS: readonly string[] = [
  '4111111111111111',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '5555555555554444',
  '378282246310005',
  '4222222222222',
  '6011111111111117',
  '4000000000000000006',
];

/**
 * Card numbers inside a sentence: for the free-text fields written as sentences (`description`, `reason`),
 * "anything that looks like a card number" includes one in the middle of the text (the card number would be
 * stored all the same).
 */
export const CARD_NUMBERS_IN_TEXT: readonly string[] = [
  'Paid with 4111 1111 1111 1111 exp 12/28',
  'card 5555-5555-5555-4444',
  'refund to 4111111111111111 please',
];

/**
 * Digits that are no card number by the contract's definition: 13 digits failing Luhn, and 12 digits (too few).
 * No longer runs: whether a card number may hide in a window of a longer run is not said, so none is listed.
 */
export const NOT_CARD_NUMBERS: readonly string[] = ['1234567890123', '411111111111'];

/** Far longer than any identifier could be; the contract gives no limit, so nothing nearer one is listed. */
const ABSURDLY_LONG_ID = 'x'.repeat(10_000);

/**
 * Contract, Money: "`amount` is a decimal string in US dollars: `"25.55"`, `"99"`, `"0.50"`; at most two
 * decimals, greater than zero, at most a configurable maximum (default `"99999.99"`)."
 * Valid: the contract's own examples, the default maximum, the smallest amount, one and no decimal.
 * Invalid: zero, negatives, three decimals, exponents, padding, above the maximum, not decimal text, numbers.
 * Left out as borderline (the contract does not say): "+1.00", ".50", "01.00", "1." and "1.500".
 */
export const AMOUNT: FieldExamples & { readonly validCents: ReadonlyMap<string, number> } = (() => {
  const validCents = new Map<string, number>([
    ['25.55', 2555],
    ['99', 9900],
    ['0.50', 50],
    ['99999.99', 9_999_999],
    ['0.01', 1],
    ['1', 100],
    ['1.5', 150],
    ['10.10', 1010],
    ['12345.67', 1_234_567],
  ]);
  return {
    valid: [...validCents.keys()],
    validCents,
    invalid: [
      // Not greater than zero.
      '0',
      '0.00',
      '-1',
      '-1.00',
      '-0.50',
      // More than two decimals.
      '1.005',
      '0.001',
      '99999.991',
      // Above the default maximum.
      '100000.00',
      '100000',
      '1000000',
      // Not a decimal string in dollars.
      '',
      ' ',
      '1e3',
      '1E2',
      ' 1.00',
      '1.00 ',
      '1,00',
      '1,000.00',
      '$1.00',
      '1.00 USD',
      '1.2.3',
      'NaN',
      'Infinity',
      '0x10',
      'one',
      '１.00',
      '1.00\n',
      // Numbers instead of decimal strings, and other JSON types.
      25.55,
      99,
      0.5,
      100000,
      ...NOT_STRINGS,
    ],
  };
})();

/**
 * Contract, Idempotency: "Every `POST` under `/v1` requires an `Idempotency-Key` header (1 to 255 visible ASCII
 * characters) [...] Missing or malformed key: `400`." Visible ASCII is "!" to "~" (RFC 5234's VCHAR), so
 * neither a space nor a tab nor a letter outside ASCII is one. `null` stands for no header at all. (Leading
 * or trailing spaces are not listed: HTTP strips them from a header value before any code sees it.)
 */
export const IDEMPOTENCY_KEY: FieldExamples = {
  valid: [
    'k',
    '0',
    'order-1001-attempt-1',
    '8e0f7c4a-1b5d-4f2e-9a3c-6d7b8e9f0a1b',
    '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
    'K'.repeat(255),
  ],
  invalid: [null, '', 'k'.repeat(256), 'two words', 'tab\tinside', 'cl\u00e9'],
};

/**
 * Contract, Routes: `jwt` is "the one-time token from Clearent's JavaScript SDK". The contract gives no
 * format beyond that; a JWT is dot-separated base64url text, so a well-shaped one is valid (the gateway, not
 * the validation, judges whether it is real). Invalid: empty, whitespace or control characters inside,
 * text outside ASCII, other JSON types. A refused-by-gateway JWT is a different case (`invalid_jwt`, after a
 * gateway call), so nothing shaped like a JWT is listed as invalid here.
 */
export const JWT: FieldExamples = {
  valid: [
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiIxMjMifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  ],
  invalid: [
    '',
    ' ',
    'eyJhbGciOiJSUzI1NiJ9 .eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl',
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0\n.c2lnbmF0dXJl',
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl\u0000',
    'eyJhbGciOiJSUzI1NiJ9.\u00e9t\u00e9.c2lnbmF0dXJl',
    'not a jwt',
    ...NOT_STRINGS,
  ],
};

/**
 * Contract, Routes and Resources: a customer id is the storefront's own (`"customerId": "cus_42"`), and "Free-text
 * fields (`description`, `reason`, `orderId`, customer ids) refuse control characters and anything that looks
 * like a card number". The contract sets no length or character set, so the valid ones are plain letters,
 * digits, "_" and "-", and the invalid ones are empty (it names no customer), control characters, whole card
 * numbers, and an absurd length. Spaces, "/", ".", ":" and the like are left out either way.
 */
export const CUSTOMER_ID: FieldExamples = {
  valid: ['cus_42', '42', 'A-1001', 'customer_7', 'CUS-2026-0001'],
  invalid: ['', ...CONTROL_CHARACTER_TEXTS, ...CARD_NUMBERS, ABSURDLY_LONG_ID, ...NOT_STRINGS],
};

/**
 * Contract, Routes: `orderId` ("A-1001" in the Transaction) is a free-text field that refuses control characters
 * and anything that looks like a card number; it travels to Clearent as `order-id`. Valid: order numbers,
 * including 13 digits that fail Luhn (so are not card numbers by the contract's definition). Invalid: empty,
 * control characters, card numbers, an absurd length. The contract sets no length, so nothing nearer a limit.
 */
export const ORDER_ID: FieldExamples = {
  valid: ['A-1001', '1001', 'ORDER-2026-0001', 'web_77', NOT_CARD_NUMBERS[0]],
  invalid: ['', ...CONTROL_CHARACTER_TEXTS, ...CARD_NUMBERS, ABSURDLY_LONG_ID, ...NOT_STRINGS],
};

/**
 * Contract, Routes: `description` (sales, subscriptions) and `reason` (refunds) are free-text fields that refuse
 * control characters and anything that looks like a card number, `400` naming the field. Valid: ordinary
 * sentences, letters outside ASCII, digits that are not a card number. Invalid: control characters, card
 * numbers alone or inside the text, other JSON types. The contract sets no length, and an empty text could
 * mean "none", so neither a length nor "" is listed either way.
 */
export const FREE_TEXT: FieldExamples = {
  valid: [
    'Blue T-shirt, size M',
    'Order A-1001',
    'Caf\u00e9 cr\u00e8me \u00d72',
    `Invoice ${NOT_CARD_NUMBERS[1]}`,
    'requested_by_customer',
    'Item arrived damaged; customer asked for a refund.',
  ],
  invalid: [...CONTROL_CHARACTER_TEXTS, ...CARD_NUMBERS, ...CARD_NUMBERS_IN_TEXT, ...NOT_STRINGS],
};

/**
 * Contract, Resources: every id carries its kind's prefix (`"id": "txn_..."`, `"id": "card_..."`, `"sub_..."`).
 * The valid ones are well-shaped ids of one kind (ids the API issued look like these: the prefix, then random
 * letters and digits); the invalid ones cannot be an id of that kind at all: empty, the bare prefix, another
 * kind's id, whitespace or control characters, a card number or a Clearent token id, other JSON types.
 */
function resourceIds(prefix: string, otherPrefix: string): FieldExamples {
  return {
    valid: [`${prefix}_6Wq1P0b3tJx8VJbD2cT9Lr`, `${prefix}_0000000000000000000001`],
    invalid: [
      '',
      `${prefix}_`,
      `${otherPrefix}_6Wq1P0b3tJx8VJbD2cT9Lr`,
      `${prefix}_6Wq1P0b3 tJx8VJbD2cT9Lr`,
      `${prefix}_6Wq1P0b3tJx8VJbD2cT9Lr\n`,
      ' ',
      '4111111111111111',
      '1100000000000011111',
      ...NOT_STRINGS,
    ],
  };
}

/** Contract, Routes: `POST /v1/refunds` takes `transactionId` (a sale): a `txn_...` id. */
export const TRANSACTION_ID = resourceIds('txn', 'card');

/** Contract, Routes: `POST /v1/sales/token` takes `cardId`: a `card_...` id (never the Clearent token id). */
export const CARD_ID = resourceIds('card', 'txn');

/**
 * Contract, Routes: `POST /v1/sales/jwt` "saves the card to that customer unless `saveCard: false`": a JSON
 * boolean. Text and numbers that might be read as one are refused, as any other mistyped field is.
 */
export const SAVE_CARD: FieldExamples = {
  valid: [true, false],
  invalid: ['false', 'true', 'no', 0, 1, {}, [], ['false']],
};

/**
 * Contract, Routes: "Unknown JSON fields are rejected (`400`), so that typos do not pass silently." Typos,
 * other spellings, fields of responses and of other routes, and names that are special in JavaScript.
 * The tests drop from this list the fields the route itself takes.
 */
export const UNKNOWN_FIELD_NAMES: readonly string[] = [
  'amout',
  'Amount',
  'amount ',
  'customer_id',
  'customerID',
  'card',
  'cardNumber',
  'cvv',
  'currency',
  'status',
  'id',
  'metadata',
  'jwt',
  'saveCard',
  'cardId',
  'customerId',
  'transactionId',
  'reason',
  'description',
  'orderId',
  'interval',
  '__proto__',
  'constructor',
  '',
];
