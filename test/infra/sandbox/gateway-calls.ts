/** Raw HTTP calls to the simulator, as Clearent's integrators make them (no client library). */
import type { Sandbox } from '../../../infra/sandbox';

/** A Clearent `transaction` or `tokenResponse` object: hyphenated keys, string values. */
export type WireFields = Record<string, string | boolean | undefined>;

/** The parts of Clearent's envelope these tests read. */
export interface TestEnvelope {
  code: string;
  status: string;
  'exchange-id'?: string;
  links?: { rel: string; href: string; id: string }[];
  payload: {
    payloadType: string;
    transaction?: WireFields;
    error?: WireFields;
    tokenResponse?: WireFields;
    'mobile-jwt'?: { jwt: string; 'last-four': string };
    transactions?: { transaction: WireFields[] };
    page?: WireFields;
  };
}

export interface GatewayAnswer {
  status: number;
  body: TestEnvelope;
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** Reads a JSON answer as Clearent's envelope. */
export async function envelopeOf(response: Response): Promise<TestEnvelope> {
  return (await response.json()) as TestEnvelope;
}

/** Sends a request with the sandbox's api-key and JSON accept headers, and parses the JSON answer. */
export async function callGateway(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<GatewayAnswer> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { ...JSON_HEADERS, 'api-key': sandbox.apiKey, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await envelopeOf(response) };
}

export function jwtSale(sandbox: Sandbox, jwt: string, fields: Record<string, unknown>) {
  const body = { type: 'SALE', 'software-type': 'sandbox-tests', 'software-type-version': '1', ...fields };
  return callGateway(sandbox, 'POST', '/rest/v2/mobile/transactions/sale', body, { mobilejwt: jwt });
}

export function cardSale(
  sandbox: Sandbox,
  card: string,
  amount: string,
  fields: Record<string, unknown> = {},
) {
  const body = { type: 'SALE', amount, card, 'exp-date': '1228', ...fields };
  return callGateway(sandbox, 'POST', '/rest/v2/transactions/sale', body);
}

/** A JWT sale with `create-token`, answering the new token id. */
export async function saleCreatingToken(sandbox: Sandbox, amount = '10.00'): Promise<string> {
  const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount, 'create-token': 'true' });
  return String(answer.body.payload.tokenResponse?.['token-id']);
}

/** A JWT sale, answering its transaction id. */
export async function approvedSale(sandbox: Sandbox, amount: string, fields: object = {}): Promise<string> {
  const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount, ...fields });
  return String(answer.body.payload.transaction?.id);
}

/** Waits for something the simulator does asynchronously, without guessing how long it takes. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
