/**
 * Clearent's response envelope, read from JSON or XML and validated, before anything trusts it.
 * The schema is liberal where Clearent varies (strings or numbers, one object or a list) and strict
 * only where a wrong reading would misstate an outcome.
 */
import { lazy } from '../lazy';
import * as z from '../zod';
import type { HttpAnswer } from './transport';
import { parseXmlEnvelope } from './xml-loader';

/** An answer that is not a readable Clearent envelope. Internal: the client turns it into a GatewayError. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';

  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** Clearent sends scalars as strings, but `true`, numbers and `"true"` are all seen; "" means not set. */
const text = /* @__PURE__ */ lazy(() =>
  z.pipe(
    z.union([z.string(), z.number(), z.boolean()]),
    z.transform((value: string | number | boolean) => (value === '' ? undefined : String(value))),
  ),
);

/** XML makes a single repeated element an object; JSON lists are arrays: accept both, yield a list. */
function oneOrMany<Item extends z.ZodMiniType>(item: Item) {
  return z.pipe(
    z.union([z.array(item), item]),
    z.transform((value: z.output<z.ZodMiniUnion<[z.ZodMiniArray<Item>, Item]>>): z.output<Item>[] =>
      Array.isArray(value) ? value : [value],
    ),
  );
}

// Every schema is built on the first answer read, not at cold start (../lazy.ts).
const linkSchema = /* @__PURE__ */ lazy(() =>
  z.object({ rel: z.optional(text()), href: z.optional(text()), id: z.optional(text()) }),
);

const transactionSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.optional(text()),
    type: z.optional(text()),
    amount: z.optional(text()),
    result: z.optional(text()),
    'result-code': z.optional(text()),
    'display-message': z.optional(text()),
    'authorization-code': z.optional(text()),
    'exchange-id': z.optional(text()),
    card: z.optional(text()),
    'card-type': z.optional(text()),
    'last-four': z.optional(text()),
    'exp-date': z.optional(text()),
    'token-id': z.optional(text()),
    invoice: z.optional(text()),
    'order-id': z.optional(text()),
    created: z.optional(text()),
  }),
);

const tokenResponseSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    'token-id': z.optional(text()),
    status: z.optional(text()),
    'token-status': z.optional(text()),
    'last-four-digits': z.optional(text()),
    'last-four': z.optional(text()),
    'card-type': z.optional(text()),
    'exp-date': z.optional(text()),
  }),
);

const errorSchema = /* @__PURE__ */ lazy(() =>
  z.object({ 'error-message': z.optional(text()), 'result-code': z.optional(text()) }),
);

const payloadSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    payloadType: z.optional(text()),
    transaction: z.optional(oneOrMany(transactionSchema())),
    transactions: z.optional(
      z.union([
        z.array(transactionSchema()),
        z.object({ transaction: z.optional(oneOrMany(transactionSchema())) }),
      ]),
    ),
    tokenResponse: z.optional(tokenResponseSchema()),
    error: z.optional(errorSchema()),
  }),
);

const envelopeSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    code: z.optional(text()),
    status: z.optional(text()),
    'exchange-id': z.optional(text()),
    links: z.optional(oneOrMany(linkSchema())),
    payload: z.optional(payloadSchema()),
  }),
);

export type Envelope = z.output<ReturnType<typeof envelopeSchema>>;
export type RawTransaction = z.output<ReturnType<typeof transactionSchema>>;
export type RawTokenResponse = z.output<ReturnType<typeof tokenResponseSchema>>;

function looksLikeXml(answer: HttpAnswer): boolean {
  return /xml/i.test(answer.contentType) || answer.body.trimStart().startsWith('<');
}

/**
 * Reads an answer body as a Clearent envelope, whatever format it came in.
 * Throws MalformedAnswerError for anything else. The error never quotes the body: it may hold card data.
 */
export function parseEnvelope(answer: HttpAnswer): Envelope {
  let document: unknown;
  try {
    document = looksLikeXml(answer) ? parseXmlEnvelope(answer.body) : JSON.parse(answer.body);
  } catch {
    throw new MalformedAnswerError(`HTTP ${answer.status} answer is neither JSON nor XML`, answer.status);
  }
  const parsed = envelopeSchema().safeParse(document);
  if (!parsed.success) {
    throw new MalformedAnswerError(`HTTP ${answer.status} answer is not a Clearent envelope`, answer.status);
  }
  return parsed.data;
}

/** Like parseEnvelope, for answers whose status alone already decides (401, 5xx, a lookup's 404). */
export function tryParseEnvelope(answer: HttpAnswer): Envelope | undefined {
  try {
    return parseEnvelope(answer);
  } catch {
    return undefined;
  }
}

/** Every transaction in the payload, single or listed, in the order Clearent sent them. */
export function transactionsOf(envelope: Envelope): RawTransaction[] {
  const listed = envelope.payload?.transactions;
  const fromList = Array.isArray(listed) ? listed : (listed?.transaction ?? []);
  return [...(envelope.payload?.transaction ?? []), ...fromList];
}

/** The reusable token id, from the `token` link or from `tokenResponse["token-id"]`. */
export function tokenIdOf(envelope: Envelope): string | undefined {
  const link = envelope.links?.find((candidate) => candidate.rel === 'token');
  const fromLink = link?.id ?? link?.href?.split('/').pop();
  return fromLink || envelope.payload?.tokenResponse?.['token-id'];
}
