/**
 * Clearent's response envelope, read from JSON or XML and validated, before anything trusts it.
 * The schema is liberal where Clearent varies (strings or numbers, one object or a list) and strict
 * only where a wrong reading would misstate an outcome.
 */
import * as z from 'zod';
import type { HttpAnswer } from './transport';
import { parseXmlEnvelope } from './xml';

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
const text = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((value) => (value === '' ? undefined : String(value)));

/** XML makes a single repeated element an object; JSON lists are arrays: accept both, yield a list. */
function oneOrMany<Item extends z.ZodType>(item: Item) {
  return z
    .union([z.array(item), item])
    .transform((value): z.output<Item>[] => (Array.isArray(value) ? value : [value]));
}

const linkSchema = z.object({ rel: text.optional(), href: text.optional(), id: text.optional() });

const transactionSchema = z.object({
  id: text.optional(),
  type: text.optional(),
  amount: text.optional(),
  result: text.optional(),
  'result-code': text.optional(),
  'display-message': text.optional(),
  'authorization-code': text.optional(),
  'exchange-id': text.optional(),
  card: text.optional(),
  'card-type': text.optional(),
  'last-four': text.optional(),
  'exp-date': text.optional(),
  'token-id': text.optional(),
  invoice: text.optional(),
  'order-id': text.optional(),
  created: text.optional(),
});

const tokenResponseSchema = z.object({
  'token-id': text.optional(),
  status: text.optional(),
  'token-status': text.optional(),
  'last-four-digits': text.optional(),
  'last-four': text.optional(),
  'card-type': text.optional(),
  'exp-date': text.optional(),
});

const errorSchema = z.object({ 'error-message': text.optional(), 'result-code': text.optional() });

const payloadSchema = z.object({
  payloadType: text.optional(),
  transaction: oneOrMany(transactionSchema).optional(),
  transactions: z
    .union([z.array(transactionSchema), z.object({ transaction: oneOrMany(transactionSchema).optional() })])
    .optional(),
  tokenResponse: tokenResponseSchema.optional(),
  error: errorSchema.optional(),
});

const envelopeSchema = z.object({
  code: text.optional(),
  status: text.optional(),
  'exchange-id': text.optional(),
  links: oneOrMany(linkSchema).optional(),
  payload: payloadSchema.optional(),
});

export type Envelope = z.output<typeof envelopeSchema>;
export type RawTransaction = z.output<typeof transactionSchema>;
export type RawTokenResponse = z.output<typeof tokenResponseSchema>;

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
  const parsed = envelopeSchema.safeParse(document);
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
