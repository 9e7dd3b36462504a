/**
 * A stand-in for Clearent's JavaScript SDK, served by the simulator at the path Clearent serves its own
 * (`<baseUrl>/js-sdk/js/clearent-host.js`), so a page loads the SDK from `baseUrl` alike for both.
 * Same API: `ClearentSDK.init({ baseUrl, pk })` puts the card form, an iframe of the gateway's origin,
 * into `<div id="payment-form">`; `ClearentSDK.getPaymentToken()` returns a promise of the gateway's
 * `mobile-jwt` answer. The card form sends the card to `POST /rest/v2/mobilejwt/manual` on its own
 * origin and hands the page only that answer (the files in `browser-sdk/` say how).
 *
 * These are static files, not gateway calls: never faulted, never counted in the ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BrowserSdkFile {
  contentType: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * The card form may load only its own script and style and talk only to its own origin (the gateway),
 * so even a script injected into it could not send the card anywhere else.
 */
const CARD_FORM_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'";

const files: Record<string, { file: string; contentType: string; policy?: string }> = {
  '/js-sdk/js/clearent-host.js': { file: 'clearent-host.js', contentType: 'text/javascript; charset=utf-8' },
  '/js-sdk/payment-form.html': {
    file: 'payment-form.html',
    contentType: 'text/html; charset=utf-8',
    policy: CARD_FORM_POLICY,
  },
  '/js-sdk/js/payment-form.js': { file: 'payment-form.js', contentType: 'text/javascript; charset=utf-8' },
  '/js-sdk/css/payment-form.css': { file: 'payment-form.css', contentType: 'text/css; charset=utf-8' },
};

const cache = new Map<string, string>();

/**
 * The file served at `path`, or `undefined` when `path` is not one of the SDK's.
 * @example browserSdkFile('/js-sdk/js/clearent-host.js')?.contentType // 'text/javascript; charset=utf-8'
 */
export function browserSdkFile(path: string): BrowserSdkFile | undefined {
  const entry = Object.hasOwn(files, path) ? files[path] : undefined;
  if (!entry) return undefined;
  let body = cache.get(entry.file);
  if (body === undefined) {
    body = readFileSync(join(__dirname, 'browser-sdk', entry.file), 'utf8');
    cache.set(entry.file, body);
  }
  return {
    contentType: entry.contentType,
    body,
    headers: {
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      ...(entry.policy ? { 'content-security-policy': entry.policy } : {}),
    },
  };
}
