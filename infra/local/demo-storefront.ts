/**
 * The demo checkout's storefront backend: what a storefront's own server does with the one-time JWT its
 * checkout page got from Clearent's SDK. It acts as one storefront with that storefront's API key, which
 * never leaves this process, and calls the payments API over HTTP like any storefront backend. The page
 * gets back the API's answer as it is (status and body), so what it shows is what the API said.
 *
 * Each click is a new purchase, so each call gets a fresh Idempotency-Key. A real storefront would key
 * by its order and retry an unknown outcome (504) under the same key; the demo leaves that to the person.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod';
import type { LocalRoute, LocalRouteResult, LocalRoutes } from './local-routes';
import type { StorefrontKey } from './seed';

/** Every demo sale saves its card to this customer: `GET /v1/customers/cus_demo/cards` lists them. */
export const demoCustomerId = 'cus_demo';

export const demoRoutePaths = {
  pay: '/demo/pay',
  payAgain: '/demo/pay-again',
  refund: '/demo/refund',
} as const;

export interface DemoStorefrontOptions {
  /** The storefront the demo acts as. */
  storefront: StorefrontKey;
  /** The payments API's base URL; a function because it is known only once the API listens. */
  apiUrl: () => string;
}

/** Longer than a sale can take locally (the sale function's own timeout). */
const apiTimeoutMs = 60_000;

const text = (maxLength: number) => z.string().min(1).max(maxLength);
const paySchema = z.strictObject({ amount: text(32), jwt: text(8192) });
const payAgainSchema = z.strictObject({ amount: text(32), cardId: text(128) });
const refundSchema = z.strictObject({ transactionId: text(128) });

/**
 * `POST /demo/pay` `{amount, jwt}` charges the JWT and saves the card (`POST /v1/sales/jwt`);
 * `POST /demo/pay-again` `{amount, cardId}` charges a saved card (`POST /v1/sales/token`);
 * `POST /demo/refund` `{transactionId}` refunds what remains of a sale (`POST /v1/refunds`).
 * @example startApiServer({ localRoutes: demoStorefrontRoutes({ storefront, apiUrl: () => url }) });
 */
export function demoStorefrontRoutes(options: DemoStorefrontOptions): LocalRoutes {
  const callApi = async (path: string, body: unknown): Promise<LocalRouteResult> => {
    try {
      const response = await fetch(`${options.apiUrl()}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.storefront.apiKey}`,
          'idempotency-key': `demo-${randomUUID()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(apiTimeoutMs),
      });
      return { statusCode: response.status, body: JSON.parse(await response.text()) };
    } catch {
      return refusal(502, 'api_unreachable', 'The payments API could not be reached, or answered no JSON');
    }
  };

  const route =
    <Input>(
      schema: z.ZodType<Input>,
      toCall: (input: Input) => { path: string; body: unknown },
    ): LocalRoute =>
    async (body, headers) => {
      if (!fromDemoPage(headers, options.apiUrl())) {
        return refusal(403, 'cross_origin', 'Only the demo page on this machine may call the demo backend');
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) return refusal(400, 'validation_error', z.prettifyError(parsed.error));
      const call = toCall(parsed.data);
      return callApi(call.path, call.body);
    };

  return {
    [demoRoutePaths.pay]: route(paySchema, ({ amount, jwt }) => ({
      path: '/v1/sales/jwt',
      body: { amount, jwt, customerId: demoCustomerId, description: 'Demo checkout' },
    })),
    [demoRoutePaths.payAgain]: route(payAgainSchema, ({ amount, cardId }) => ({
      path: '/v1/sales/token',
      body: { amount, customerId: demoCustomerId, cardId, description: 'Demo checkout, saved card' },
    })),
    [demoRoutePaths.refund]: route(refundSchema, ({ transactionId }) => ({
      path: '/v1/refunds',
      body: { transactionId, reason: 'Demo refund' },
    })),
  };
}

/**
 * Whether the demo page itself is calling. A browser sends `Origin` with every POST, and another site's
 * page would send its own: without this check any site open in the browser could charge or refund
 * through the demo storefront (cross-site request forgery).
 */
function fromDemoPage(headers: IncomingHttpHeaders | undefined, apiUrl: string): boolean {
  const { port } = new URL(apiUrl);
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(headers?.origin ?? '');
}

function refusal(statusCode: number, code: string, message: string): LocalRouteResult {
  return { statusCode, body: { error: { type: 'invalid_request_error', code, message } } };
}
