/**
 * Requests the contract refuses with 400, built from the hand-written examples of ./contract-examples, and
 * the oracle of the answer:
 * - `invalidRequest(rules)`, a fast-check arbitrary: near-valid bodies (valid examples, then one to three
 *   changes drawn from the invalid examples, unknown fields, missing required fields and malformed
 *   Idempotency-Keys, none of which a later change can repair), arbitrary JSON the route cannot accept by
 *   its keys alone, and text that is not a JSON object;
 * - `refusalProblem(response, request)`: what, if anything, is wrong with the answer as the contract's 400.
 * Validity is judged by the examples alone, never by the code under test.
 */
import fc from 'fast-check';
import type { ApiResponse } from './api';
import {
  AMOUNT,
  CARD_ID,
  CARD_NUMBERS,
  CUSTOMER_ID,
  type FieldExamples,
  FREE_TEXT,
  IDEMPOTENCY_KEY,
  JWT,
  ORDER_ID,
  REQUIRED_NULL,
  SAVE_CARD,
  TRANSACTION_ID,
  UNKNOWN_FIELD_NAMES,
} from './contract-examples';

/** The param the contract's error names for a bad Idempotency-Key. */
export const KEY_PARAM = 'Idempotency-Key';

/** One field of a route's body: its valid and invalid example values. */
export interface FieldRule {
  valid: readonly unknown[];
  invalid: readonly unknown[];
  required: boolean;
}

export interface BodyRules {
  fields: Record<string, FieldRule>;
  /** Makes a body of valid fields valid as a whole (a rule between fields), before any change. */
  settle?: (body: Record<string, unknown>) => void;
}

/** A request to post: the raw body, its Idempotency-Key (`undefined`: a fresh valid one; `null`: none). */
export interface InvalidRequest {
  rawBody: string;
  key?: string | null;
  /** The fields (or `Idempotency-Key`) made invalid: a `param` in the error must be one of them. */
  touched: string[];
  /** Says what was changed, for a failure message. */
  label: string;
}

/** The field's examples; `extraValid` are real values of the test's own (JWTs, ids) that must not be charged. */
function field(examples: FieldExamples, required: boolean, extraValid: readonly unknown[] = []): FieldRule {
  return {
    valid: [...extraValid, ...examples.valid],
    invalid: required ? [...examples.invalid, ...REQUIRED_NULL] : examples.invalid,
    required,
  };
}

/** POST /v1/sales/jwt, with real unused JWTs and real customers among the valid values. */
export function jwtSaleRules(jwts: string[], customerIds: string[]): BodyRules {
  return {
    fields: {
      amount: field(AMOUNT, true),
      jwt: field(JWT, true, jwts),
      customerId: field(CUSTOMER_ID, false, customerIds),
      saveCard: field(SAVE_CARD, false),
      orderId: field(ORDER_ID, false),
      description: field(FREE_TEXT, false),
    },
    // "saves the card to that customer unless saveCard: false": saveCard without a customer is not a
    // combination the contract describes, so valid bodies never have it.
    settle: (body) => {
      if (body.customerId === undefined) delete body.saveCard;
    },
  };
}

/** POST /v1/sales/token, with a real customer and card among the valid values. */
export function tokenSaleRules(customerIds: string[], cardIds: string[]): BodyRules {
  return {
    fields: {
      amount: field(AMOUNT, true),
      customerId: field(CUSTOMER_ID, true, customerIds),
      cardId: field(CARD_ID, true, cardIds),
      orderId: field(ORDER_ID, false),
      description: field(FREE_TEXT, false),
    },
  };
}

/** POST /v1/refunds, with real sales among the valid values. */
export function refundRules(saleIds: string[]): BodyRules {
  return {
    fields: {
      transactionId: field(TRANSACTION_ID, true, saleIds),
      amount: field(AMOUNT, false),
      reason: field(FREE_TEXT, false),
    },
  };
}

/** Set with defineProperty, so that a field named `__proto__` is a field, as JSON.parse makes it. */
export const OWN_FIELD = { enumerable: true, writable: true, configurable: true };

type Change =
  | { kind: 'invalidate'; name: string; value: unknown }
  | { kind: 'drop'; name: string }
  | { kind: 'add'; name: string; value: unknown }
  | { kind: 'key'; value: string | null };

const describeValue = (value: unknown): string => {
  const json = value === undefined ? 'undefined' : JSON.stringify(value);
  // JSON leaves DEL and the C1 controls as they are: escaped, a failure message shows what was sent.
  const text = json.replace(
    /[\u007f-\u009f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

function describeChange(change: Change): string {
  switch (change.kind) {
    case 'invalidate':
      return `${change.name}=${describeValue(change.value)}`;
    case 'drop':
      return `without ${change.name}`;
    case 'add':
      return `unknown field ${describeValue(change.name)}`;
    case 'key':
      return change.value === null ? 'no Idempotency-Key' : `Idempotency-Key ${describeValue(change.value)}`;
  }
}

/** Applies the changes to a copy of `valid`: the request, and what it touched. */
function applyChanges(valid: Record<string, unknown>, changes: readonly Change[]): InvalidRequest {
  const body: Record<string, unknown> = { ...valid };
  let key: string | null | undefined;
  const touched = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'key') {
      key = change.value;
      touched.add(KEY_PARAM);
      continue;
    }
    touched.add(change.name);
    if (change.kind === 'drop') delete body[change.name];
    else Object.defineProperty(body, change.name, { ...OWN_FIELD, value: change.value });
  }
  return {
    rawBody: JSON.stringify(body),
    key,
    touched: [...touched],
    label: changes.map(describeChange).join(', '),
  };
}

const unknownNames = (rules: BodyRules) =>
  UNKNOWN_FIELD_NAMES.filter((name) => !Object.hasOwn(rules.fields, name));

/** A valid value for every required field, and for some optional ones. */
function validBody(rules: BodyRules): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(rules.fields);
  const model = Object.fromEntries(entries.map(([name, rule]) => [name, fc.constantFrom(...rule.valid)]));
  const requiredKeys = entries.filter(([, rule]) => rule.required).map(([name]) => name);
  return fc.record(model, { requiredKeys }).map((body) => {
    const settled: Record<string, unknown> = { ...body };
    rules.settle?.(settled);
    return settled;
  });
}

/** Valid fields, then 1 to 3 changes that each make the request invalid on their own. */
function nearValidRequest(rules: BodyRules): fc.Arbitrary<InvalidRequest> {
  const entries = Object.entries(rules.fields);
  const names = entries.map(([name]) => name);
  const required = entries.filter(([, rule]) => rule.required).map(([name]) => name);
  const unknownName = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...unknownNames(rules)) },
    // Any other name is as unknown as a listed one.
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).filter((name) => !names.includes(name)) },
  );
  const change: fc.Arbitrary<Change> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...entries)
        .chain(([name, rule]) =>
          fc.constantFrom(...rule.invalid).map((value) => ({ kind: 'invalidate' as const, name, value })),
        ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...required).map((name) => ({ kind: 'drop' as const, name })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(unknownName, fc.jsonValue({ maxDepth: 2 }))
        .map(([name, value]) => ({ kind: 'add' as const, name, value })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...IDEMPOTENCY_KEY.invalid)
        .map((value) => ({ kind: 'key' as const, value: value as string | null })),
    },
  );
  return fc
    .tuple(validBody(rules), fc.array(change, { minLength: 1, maxLength: 3 }))
    .map(([valid, changes]) => applyChanges(valid, changes));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Which of a JSON object's keys the route cannot accept: unknown ones and missing required ones. */
function keysRefused(value: unknown, rules: BodyRules): string[] | undefined {
  if (!isObject(value)) return undefined;
  const names = Object.keys(value);
  const unknown = names.filter((name) => !Object.hasOwn(rules.fields, name));
  const missing = Object.entries(rules.fields)
    .filter(([name, rule]) => rule.required && !names.includes(name))
    .map(([name]) => name);
  return [...unknown, ...missing];
}

const parsesToObject = (text: string) => {
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
};

/** A request the route must refuse with 400 (and nothing else): no gateway call, nothing stored. */
export function invalidRequest(rules: BodyRules): fc.Arbitrary<InvalidRequest> {
  return fc.oneof(
    { weight: 6, arbitrary: nearValidRequest(rules) },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue()
        .filter((value) => (keysRefused(value, rules)?.length ?? 1) > 0)
        .map((value) => ({
          rawBody: JSON.stringify(value),
          // Any key of an object may be the one named (a known key may hold a mistyped value), or a missing one.
          touched: [...Object.keys(isObject(value) ? value : {}), ...(keysRefused(value, rules) ?? [])],
          label: `JSON ${describeValue(value)}`,
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ maxLength: 40 })
        .filter((text) => !parsesToObject(text))
        .map((text) => ({ rawBody: text, touched: [], label: `text ${describeValue(text)}` })),
    },
  );
}

/**
 * What is wrong with `response` as the contract's refusal of `request`, or `undefined`: a 400 whose body is
 * `{ "error": { type: "invalid_request_error", code, message, param? } }` (Errors), the param (when there is
 * one) naming a field the request got wrong, and no card number echoed ("Messages never contain card numbers").
 */
export function refusalProblem(
  response: ApiResponse,
  request: Pick<InvalidRequest, 'touched'>,
): string | undefined {
  const answer = `${response.status} ${response.text.slice(0, 300)}`;
  if (response.status !== 400) return `answered ${answer}`;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `answered a body that is not JSON: ${answer}`;
  }
  if (!isObject(body) || Object.keys(body).join() !== 'error' || !isObject(body.error)) {
    return `answered a body that is not { "error": {...} }: ${answer}`;
  }
  const { type, code, message, param, ...rest } = body.error;
  if (type !== 'invalid_request_error') return `answered error type ${String(type)}: ${answer}`;
  if (typeof code !== 'string' || code === '') return `answered no error code: ${answer}`;
  if (typeof message !== 'string' || message === '') return `answered no error message: ${answer}`;
  if (Object.keys(rest).length > 0) return `answered extra error fields: ${answer}`;
  if (param !== undefined && !request.touched.includes(String(param))) {
    return `named param ${JSON.stringify(param)}, none of ${JSON.stringify(request.touched)}: ${answer}`;
  }
  const echoed = CARD_NUMBERS.find((number) => response.text.includes(number));
  if (echoed !== undefined) return `echoed a card number: ${answer}`;
  return undefined;
}
