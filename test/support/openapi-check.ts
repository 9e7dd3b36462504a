/**
 * Checks what the API sends against its OpenAPI document (infra/openapi/document.ts).
 *
 * An answer: the status is one the document lists for the route, the body matches that status's
 * schema, and every header the document requires (`Retry-After` on a 409 or a pending 504) is there and
 * well-formed. The handler tests' harnesses send every request through it (test/functions/support/api.ts),
 * so an answer the document does not describe fails the test that received it, naming the route, the
 * status and the mismatch. Local-only routes (`/_local/...`) are not part of the API and are not checked.
 *
 * A webhook delivery: its body is the event its `webhooks` entry describes, with the Standard Webhooks
 * headers (./webhook-endpoint.ts checks every delivery it receives).
 *
 * @example checkAnswer('GET', '/v1/transactions?limit=2', { status: 200, headers, text });
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { matchRoute } from '../../infra/local/route-matcher';
import { type OpenApiDocument, openApiDocument } from '../../infra/openapi/document';
import { apiRoutes } from '../../infra/routes';

export interface ReceivedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** An answer the OpenAPI document does not describe. */
export class UndocumentedAnswerError extends Error {
  override readonly name = 'UndocumentedAnswerError';
}

type Json = Record<string, unknown>;

const DOCUMENT_ID = 'openapi.json';
/** Errors shown per mismatch: an `anyOf` of many schemas reports each one's. */
const MAX_ERRORS_SHOWN = 8;

interface Checker {
  document: OpenApiDocument;
  /** Every header the document declares on some answer: one it does not declare on an answer must be absent. */
  answerHeaders: Set<string>;
  /** Compiles (once) the schema at a JSON pointer of the document. */
  validatorAt(pointer: string[]): ValidateFunction;
}

let checker: Checker | undefined;

function createChecker(): Checker {
  const document = openApiDocument();
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // The document's parts that hold schemas, as one schema that JSON pointers (and its `$ref`s) reach into.
  ajv.addKeyword('components');
  ajv.addKeyword('paths');
  ajv.addKeyword('webhooks');
  ajv.addSchema({
    $id: DOCUMENT_ID,
    components: document.components,
    paths: document.paths,
    webhooks: document.webhooks,
  });
  const compiled = new Map<string, ValidateFunction>();
  const responses = [
    ...Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) =>
        Object.values((operation.responses ?? {}) as Record<string, Json>),
      ),
    ),
    ...Object.values(document.components.responses),
  ];
  const answerHeaders = new Set(
    responses.flatMap((response) => Object.keys(response.headers ?? {}).map((name) => name.toLowerCase())),
  );
  return {
    document,
    answerHeaders,
    validatorAt: (pointer) => {
      const ref = `${DOCUMENT_ID}#/${pointer.map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
      let validate = compiled.get(ref);
      if (!validate) {
        validate = ajv.compile({ $ref: ref });
        compiled.set(ref, validate);
      }
      return validate;
    },
  };
}

/** Follows a `#/components/...` reference to what it names, and where that is. */
function resolve(document: OpenApiDocument, value: Json, at: string[]): { value: Json; at: string[] } {
  const ref = value.$ref;
  if (typeof ref !== 'string') return { value, at };
  const pointer = ref.replace(/^#\//, '').split('/');
  const target = pointer.reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document);
  if (typeof target !== 'object' || target === null) throw new Error(`the document has no ${ref}`);
  return { value: target as Json, at: pointer };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const lines = (errors ?? []).map(
    (error) => `  ${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
  const hidden = lines.length - MAX_ERRORS_SHOWN;
  return [...lines.slice(0, MAX_ERRORS_SHOWN), ...(hidden > 0 ? [`  ...and ${hidden} more`] : [])].join('\n');
}

const headerValue = (headers: ReceivedAnswer['headers'], name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** A header's text as its schema's type: `Retry-After: 3` is the integer 3. */
function headerAsJson(text: string, schema: Json): unknown {
  const numeric = schema.type === 'integer' || schema.type === 'number';
  return numeric && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** What is wrong with `answer` to the operation at `operationAt`; `undefined` when nothing is. */
function answerProblem(
  { document, validatorAt, answerHeaders }: Checker,
  operationAt: string[],
  answer: ReceivedAnswer,
) {
  const operation = operationAt.reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document);
  const responses = ((operation as Json | undefined)?.responses ?? {}) as Record<string, Json>;
  const listed = responses[String(answer.status)];
  if (listed === undefined) {
    return `the OpenAPI document lists only ${Object.keys(responses).join(', ')} for this route`;
  }
  const response = resolve(document, listed, [...operationAt, 'responses', String(answer.status)]);

  const declaredHeaders = (response.value.headers ?? {}) as Record<string, Json>;
  const declaredNames = Object.keys(declaredHeaders).map((name) => name.toLowerCase());
  const undeclared = [...answerHeaders].find(
    (name) => !declaredNames.includes(name) && name in answer.headers,
  );
  if (undeclared !== undefined) {
    return `it carries the header ${undeclared}, which the OpenAPI document does not declare for this answer`;
  }
  for (const [name, declared] of Object.entries(declaredHeaders)) {
    const header = resolve(document, declared, [...response.at, 'headers', name]);
    const text = headerValue(answer.headers, name);
    if (text === undefined) {
      if (header.value.required === true) return `the required header ${name} is missing`;
      continue;
    }
    const validate = validatorAt([...header.at, 'schema']);
    if (!validate(headerAsJson(text, header.value.schema as Json))) {
      return `header ${name}: ${JSON.stringify(text)} does not match its schema:\n${describeErrors(validate.errors)}`;
    }
  }

  if (response.value.content === undefined) {
    return answer.text === ''
      ? undefined
      : 'the OpenAPI document says this answer has no body, but it has one';
  }
  const contentType = headerValue(answer.headers, 'content-type') ?? '';
  if (!contentType.startsWith('application/json'))
    return `content-type is "${contentType}", not application/json`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'the body is not JSON';
  }
  const validate = validatorAt([...response.at, 'content', 'application/json', 'schema']);
  if (validate(body)) return undefined;
  return `the body does not match the OpenAPI document:\n${describeErrors(validate.errors)}`;
}

/**
 * Throws an `UndocumentedAnswerError` unless the document describes this answer to `method target`.
 * @param target the path as requested, with its query string if any.
 */
export function checkAnswer(method: string, target: string, answer: ReceivedAnswer): void {
  const path = target.split('?')[0] ?? target;
  if (path.startsWith('/_local/')) return;
  checker ??= createChecker();
  const match = matchRoute(apiRoutes, method, path);
  const problem = match
    ? answerProblem(checker, ['paths', match.route.path, method.toLowerCase()], answer)
    : 'no route of the OpenAPI document matches the request';
  if (problem === undefined) return;
  throw new UndocumentedAnswerError(
    `${match?.routeKey ?? `${method} ${path}`} answered ${answer.status}: ${problem}\n` +
      `  body: ${answer.text.slice(0, 600)}`,
  );
}

/** What is wrong with a webhook delivery; `undefined` when nothing is. */
function webhookProblem(
  { document, validatorAt }: Checker,
  headers: ReceivedAnswer['headers'],
  text: string,
) {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const type = (body as Json | null)?.type;
  if (typeof type !== 'string' || document.webhooks[type] === undefined) {
    return 'has no event type the document lists';
  }
  const at = ['webhooks', type, 'post'];
  const operation = document.webhooks[type].post as Json;
  for (const [index, declared] of ((operation.parameters ?? []) as Json[]).entries()) {
    const parameter = resolve(document, declared, [...at, 'parameters', String(index)]);
    const name = String(parameter.value.name);
    const value = headerValue(headers, name);
    if (value === undefined) return `of ${type} lacks the header ${name}`;
    const validate = validatorAt([...parameter.at, 'schema']);
    if (!validate(value)) {
      return `of ${type}: header ${name} does not match its schema:\n${describeErrors(validate.errors)}`;
    }
  }
  const validate = validatorAt([...at, 'requestBody', 'content', 'application/json', 'schema']);
  if (validate(body)) return undefined;
  return `of ${type} does not match the OpenAPI document:\n${describeErrors(validate.errors)}`;
}

/** Throws an `UndocumentedAnswerError` unless the document's `webhooks` describe this delivery. */
export function checkWebhook(headers: ReceivedAnswer['headers'], text: string): void {
  checker ??= createChecker();
  const problem = webhookProblem(checker, headers, text);
  if (problem === undefined) return;
  throw new UndocumentedAnswerError(`a webhook delivery ${problem}\n  body: ${text.slice(0, 600)}`);
}
