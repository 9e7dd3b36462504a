/**
 * The local runtime's settings, read from the variables the contract lists for `npm start`
 * (PORT, SANDBOX_PORT, SANDBOX_API_KEY, CLEARENT_BASE_URL, CLEARENT_API_KEY, STOREFRONT_KEYS, DATA_DIR).
 * Handlers never read these: they read only what `localEnvironment` gives them.
 */
import type { StorefrontKey } from './seed';

export interface LocalSettings {
  port: number;
  sandboxPort: number;
  sandboxApiKey?: string;
  clearentBaseUrl?: string;
  clearentApiKey?: string;
  storefronts: StorefrontKey[];
  dataDir: string;
}

export class LocalSettingsError extends Error {
  override readonly name = 'LocalSettingsError';
}

/** The contract's defaults. */
export const localDefaults = {
  port: 3000,
  sandboxPort: 3001,
  storefrontKeys: 'demo=sk_test_demo',
  dataDir: '.data',
} as const;

/**
 * Reads the settings, failing fast with the name of a malformed variable (never its secret value).
 * @example localSettingsFrom({ PORT: '8080' }).port // 8080
 */
export function localSettingsFrom(environment: NodeJS.ProcessEnv): LocalSettings {
  const text = (name: string) => {
    const value = environment[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    port: portFrom('PORT', text('PORT'), localDefaults.port),
    sandboxPort: portFrom('SANDBOX_PORT', text('SANDBOX_PORT'), localDefaults.sandboxPort),
    sandboxApiKey: text('SANDBOX_API_KEY'),
    clearentBaseUrl: urlFrom('CLEARENT_BASE_URL', text('CLEARENT_BASE_URL')),
    clearentApiKey: text('CLEARENT_API_KEY'),
    storefronts: parseStorefrontKeys(text('STOREFRONT_KEYS') ?? localDefaults.storefrontKeys),
    dataDir: text('DATA_DIR') ?? localDefaults.dataDir,
  };
}

const storefrontIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const apiKeyPattern = /^[\x21-\x7e]{8,200}$/;

/**
 * Parses `storefrontId=apiKey` pairs separated by commas.
 * @example parseStorefrontKeys('demo=sk_test_demo') // [{ storefrontId: 'demo', apiKey: 'sk_test_demo' }]
 */
export function parseStorefrontKeys(text: string): StorefrontKey[] {
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  return pairs.map((pair, position) => {
    const separator = pair.indexOf('=');
    const storefrontId = pair.slice(0, Math.max(separator, 0));
    const apiKey = pair.slice(separator + 1);
    if (separator <= 0 || !storefrontIdPattern.test(storefrontId)) {
      throw new LocalSettingsError(
        `STOREFRONT_KEYS pair ${position + 1} must be storefrontId=apiKey, the id made of letters, digits, _ and -`,
      );
    }
    // The key is not quoted in the message: it is a credential, even locally.
    if (!apiKeyPattern.test(apiKey)) {
      throw new LocalSettingsError(
        `STOREFRONT_KEYS: the key of storefront ${storefrontId} must be 8 to 200 visible ASCII characters`,
      );
    }
    return { storefrontId, apiKey };
  });
}

function portFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalSettingsError(`${name} must be a port number (0 to 65535), got "${value}"`);
  }
  return port;
}

function urlFrom(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new LocalSettingsError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}
