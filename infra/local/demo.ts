/**
 * `GET /demo` (local only, never deployed): the contract's checkout page, served by the local API
 * Gateway with its small storefront backend (`demo-storefront.ts`). The page loads Clearent's JavaScript
 * SDK from `<CLEARENT_BASE_URL>/js-sdk/js/clearent-host.js`, where Clearent serves it and where the
 * built-in simulator serves its stand-in, so the same page runs against either. The card is typed into
 * the SDK's iframe, of the gateway's origin; the page and its backend only ever see the one-time JWT.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoStorefrontOptions, demoCustomerId, demoStorefrontRoutes } from './demo-storefront';
import type { LocalPage, LocalPages, LocalRoutes } from './local-routes';

export const demoPath = '/demo';

/** Where Clearent serves its SDK under a gateway's base URL (and so does the simulator). */
const clearentSdkPath = '/js-sdk/js/clearent-host.js';

export interface DemoCheckoutOptions extends DemoStorefrontOptions {
  /** The gateway: where the SDK is loaded from and where its card form lives. */
  clearentBaseUrl: string;
  /** The storefront's Clearent public key, for the SDK; without one the page says how to set it. */
  publicKey?: string;
}

export interface DemoCheckout {
  /** `/demo` and its script and style. */
  pages: LocalPages;
  /** The storefront backend the page calls. */
  routes: LocalRoutes;
}

/**
 * The page, its files and its backend, for the local API Gateway.
 * @example startApiServer({ localPages: demo.pages, localRoutes: demo.routes });
 */
export function demoCheckout(options: DemoCheckoutOptions): DemoCheckout {
  const gateway = new URL(options.clearentBaseUrl).origin;
  const html = fillIn(readDemoFile('checkout.html'), {
    sdkUrl: `${options.clearentBaseUrl}${clearentSdkPath}`,
    clearentBaseUrl: options.clearentBaseUrl,
    publicKey: options.publicKey ?? '',
    storefrontId: options.storefront.storefrontId,
    customerId: demoCustomerId,
  });
  const page: LocalPage = {
    contentType: 'text/html; charset=utf-8',
    body: html,
    headers: { 'content-security-policy': pagePolicy(gateway), 'referrer-policy': 'no-referrer' },
  };
  const script: LocalPage = {
    contentType: 'text/javascript; charset=utf-8',
    body: readDemoFile('checkout.js'),
  };
  const style: LocalPage = { contentType: 'text/css; charset=utf-8', body: readDemoFile('checkout.css') };
  return {
    pages: {
      [demoPath]: () => page,
      [`${demoPath}/checkout.js`]: () => script,
      [`${demoPath}/checkout.css`]: () => style,
    },
    routes: demoStorefrontRoutes(options),
  };
}

/**
 * The page runs only its own files and the gateway's SDK, frames only the gateway, and cannot itself be
 * framed. Inline styles are allowed because Clearent's SDK may set them on its iframe.
 */
function pagePolicy(gateway: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${gateway}`,
    `style-src 'self' 'unsafe-inline' ${gateway}`,
    `img-src 'self' data: ${gateway}`,
    `connect-src 'self' ${gateway}`,
    `frame-src ${gateway}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function readDemoFile(name: string): string {
  return readFileSync(join(__dirname, 'demo', name), 'utf8');
}

/** Replaces each `{{name}}` with its value, escaped for HTML text and attributes. */
function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`demo page: no value for ${placeholder}`);
    return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  });
}
