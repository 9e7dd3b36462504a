/**
 * Masks what must never reach a log from a gateway transcript, whatever its format (JSON, XML, HTTP
 * headers, query strings): card numbers (last four kept), keys and JWTs, card token ids, security codes.
 * Errs towards masking too much: a mangled log line is cheap, a leaked card number is not.
 */

import { passesLuhn } from '../http/free-text';

const REDACTED = '[REDACTED]';
const TOKEN = '[TOKEN]';

/** Fields whose values are secrets, by name (case-insensitive). */
const SECRET_FIELDS = [
  'api-key',
  'apikey',
  'api_key',
  'public-key',
  'private-key',
  'secret-key',
  'mobilejwt',
  'mobile-jwt',
  'jwt',
  'authorization',
  'password',
  'csc',
  'cvv',
  'cvv2',
  'cvc',
  'security-code',
];
/** Fields whose values are reusable card token ids. */
const TOKEN_FIELDS = ['token-id', 'tokenid', 'token_id'];

const SECRET_FIELD_NAMES = new Set(SECRET_FIELDS);
const TOKEN_FIELD_NAMES = new Set(TOKEN_FIELDS);

/**
 * Replaces the value of named fields in JSON and JS (`"k":"v"`, `k: 'v'`, `"k":123`), XML (`<k>v</k>`),
 * headers (`k: v`, `x-k: v`) and queries (`k=v`).
 */
function maskFields(text: string, names: string[], mask: string): string {
  const name = `(?:x-)?(?:${names.map((field) => field.replace(/[-_]/g, '[-_]?')).join('|')})`;
  return text
    .replace(
      new RegExp(`(?<![\\w-])(["']?)(${name})\\1(\\s*[:=]\\s*)(["'])(?:\\\\.|(?!\\4).)*\\4`, 'gi'),
      `$1$2$1$3$4${mask}$4`,
    )
    .replace(new RegExp(`(?<![\\w-])(["'])(${name})\\1(\\s*:\\s*)[\\w.+-]+`, 'gi'), `$1$2$1$3"${mask}"`)
    .replace(new RegExp(`<(${name})(\\s[^>]*)?>[^<]*</\\1\\s*>`, 'gi'), `<$1$2>${mask}</$1>`)
    .replace(
      new RegExp(
        `(?<![\\w"'<\\/-])(${name})(?![\\w-])(\\s*[:=]\\s*)(?:(?:Bearer|Basic)\\s+)?[^\\s&,;"'<>{}\\[\\]]+`,
        'gi',
      ),
      `$1$2${mask}`,
    );
}

/** Masks all digits but the last four, the way Clearent itself shows a card: XXXXXXXXXXXX1111. */
function maskDigits(digits: string): string {
  const plain = digits.replace(/\D/g, '');
  return 'X'.repeat(Math.max(0, plain.length - 4)) + plain.slice(-4);
}

/** Token ids in `/rest/v2/tokens/<id>` paths, and in the `id` of a `token` link (JSON object or XML element). */
function maskTokenLinks(text: string): string {
  return text
    .replace(/(\/tokens\/)[^/?#"'\s<>&{}]+/gi, `$1${TOKEN}`)
    .replace(/\{[^{}]*\}/g, (link) =>
      /(["'])rel\1\s*:\s*(["'])token\2/i.test(link)
        ? link.replace(/((["'])id\2\s*:\s*)(["'])[^"']*\3/gi, `$1$3${TOKEN}$3`)
        : link,
    )
    .replace(/<links>[\s\S]*?<\/links>/gi, (link) =>
      /<rel>\s*token\s*<\/rel>/i.test(link) ? link.replace(/<id>[^<]*<\/id>/gi, `<id>${TOKEN}</id>`) : link,
    );
}

/**
 * Masks card numbers, keys, JWTs, token ids and security codes in a gateway transcript.
 *
 * @example
 * scrubTranscript('{"card":"4111111111111111","csc":"999"}'); // '{"card":"XXXXXXXXXXXX1111","csc":"[REDACTED]"}'
 * scrubTranscript('GET /rest/v2/tokens/1100000900023211111');  // 'GET /rest/v2/tokens/[TOKEN]'
 */
export function scrubTranscript(text: string): string {
  return mayHoldSecrets(text) ? maskAll(text) : text;
}

/** Every field name `maskFields` looks for, lower case, without the `-` and `_` it allows between parts. */
const SQUASHED_NAMES = [...SECRET_FIELDS, ...TOKEN_FIELDS].map((name) => name.replace(/[-_]/g, ''));
/** The shortest digit run `maskCardNumbers` masks: 13 digits, a space or dash allowed between them. */
const LONG_DIGIT_RUN = /\d(?:[ -]?\d){12}/;

/**
 * False only for a text in which `maskAll` cannot change anything, so that most log strings (an
 * operation's name, a result code, a request id) skip its many expressions; a first request runs them
 * compiled for nothing otherwise (6 ms, issue 11). Each thing `maskAll` masks needs one of these in the
 * text: a field name (its parts joined by `-`, `_` or nothing, in any ASCII case, as the expressions
 * match them; a token link needs "token", a card field "card"), a JWT's `eyJ`, or 13 digits.
 * test/shared/clearent/scrub.test.ts checks that it never says false where `maskAll` masks.
 */
export function mayHoldSecrets(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes('token') || lower.includes('card') || text.includes('eyJ')) return true;
  if (LONG_DIGIT_RUN.test(text)) return true;
  const squashed = lower.replace(/[-_]/g, '');
  return SQUASHED_NAMES.some((name) => squashed.includes(name));
}

/** Every mask, in order; `scrubTranscript` skips it for a text that `mayHoldSecrets` clears. */
export function maskAll(text: string): string {
  const masked = maskFields(maskFields(maskTokenLinks(text), TOKEN_FIELDS, TOKEN), SECRET_FIELDS, REDACTED)
    // A JWT wherever it appears, even outside a named field.
    .replace(/(?<![A-Za-z0-9])eyJ[\w-]{4,}(?:\.[\w-]*){0,2}/g, REDACTED)
    // `card` holds a card number or a token id: never keep more than the last four digits of either.
    .replace(
      /((["'])card\2\s*:\s*["']|<card>)(\d{5,})/gi,
      (_match, prefix: string, _quote: string | undefined, digits: string) =>
        `${prefix}${maskDigits(digits)}`,
    );
  return maskCardNumbers(masked);
}

/**
 * Request and trace ids made of hex groups: a UUID (Lambda's request ids, ours) and an X-Ray trace id.
 * A group can be all digits, so without this a UUID's middle could read as a dashed card number.
 */
const HEX_IDENTIFIER =
  /(?<![0-9a-z])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|1-[0-9a-f]{8}-[0-9a-f]{24})(?![0-9a-z])/gi;
/** Digits, each separated from the next by at most one space or dash. */
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;
/** What may touch a number that is part of a word (`txn_...`, a hex id) rather than standing alone. */
const WORD_CHARACTER = /[A-Za-z0-9_]/;

/**
 * Card numbers anywhere, in the last four digits only:
 * - a number of 13 or more digits standing alone (spaces or dashes allowed between them): a card number,
 *   a mistyped one, or a Clearent token id (19 digits, no Luhn check), with or without an expiry after it;
 * - inside a word (touching a letter or `_`), only 13 to 19 digits passing the Luhn check, so that our
 *   ids (`txn_...`) and hex ids keep their digits;
 * - never inside a UUID or trace id.
 */
function maskCardNumbers(text: string): string {
  let masked = '';
  let from = 0;
  for (const identifier of text.matchAll(HEX_IDENTIFIER)) {
    masked += maskCardNumbersIn(text.slice(from, identifier.index)) + identifier[0];
    from = identifier.index + identifier[0].length;
  }
  return masked + maskCardNumbersIn(text.slice(from));
}

function maskCardNumbersIn(text: string): string {
  return text.replace(DIGIT_RUN, (run: string, offset: number) => {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 13) return run;
    const inWord =
      WORD_CHARACTER.test(text.charAt(offset - 1)) || WORD_CHARACTER.test(text.charAt(offset + run.length));
    if (inWord && (digits.length > 19 || !passesLuhn(digits))) return run;
    return maskDigits(run);
  });
}

function isTokenLink(value: Record<string, unknown>): boolean {
  return typeof value.rel === 'string' && value.rel.toLowerCase() === 'token';
}

/**
 * Scrubs a structured value (a parsed envelope, a headers object, a log payload) by field name,
 * then every string in it as a transcript. Returns a copy; the input is untouched.
 */
export function scrubObject(value: unknown): unknown {
  if (typeof value === 'string') return scrubTranscript(value);
  if (Array.isArray(value)) return value.map(scrubObject);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  const tokenLink = isTokenLink(record);
  return Object.fromEntries(
    Object.entries(record).map(([key, field]) => {
      const name = key.toLowerCase();
      if (SECRET_FIELD_NAMES.has(name)) return [key, REDACTED];
      if (TOKEN_FIELD_NAMES.has(name) || (tokenLink && name === 'id')) return [key, TOKEN];
      if (name === 'card' && (typeof field === 'string' || typeof field === 'number')) {
        return [key, String(field).replace(/\d{5,}/g, maskDigits)];
      }
      return [key, scrubObject(field)];
    }),
  );
}
