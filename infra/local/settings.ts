/**
 * The local runtime's settings, read from the variables the contract lists for `npm start`
 * (PORT, SANDBOX_PORT, SANDBOX_API_KEY, CLEARENT_BASE_URL, CLEARENT_API_KEY, STOREFRONT_KEYS, DATA_DIR), and
 * CLEARENT_PUBLIC_KEY: the first storefront's Clearent public key, for the demo page's SDK; and
 * LOCAL_DYNAMODB, which embedded DynamoDB to run (dynamodb-engine.ts).
 * Handlers never read these: they read only what `localEnvironment` gives them.
 */
import { isWellFormedApiKey } from '../../shared/storefronts/api-keys';
import { type DynamoDbEngineSetting, dynamoDbEngines } from './dynamodb-engine';
import type { StorefrontKey } from './seed';

export interface LocalSettings {
  port: number;
  sandboxPort: number;
  sandboxApiKey?: string;
  clearentBaseUrl?: string;
  clearentApiKey?: string;
  /** For Clearent's browser SDK on the demo page; the built-in simulator needs none. */
  clearentPublicKey?: string;
  storefronts: StorefrontKey[];
  dataDir: string;
  /** LOCAL_DYNAMODB; `auto` (unset): DynamoDB Local when Java 17+ is there, else dynalite. */
  dynamoDb: DynamoDbEngineSetting;
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
    clearentPublicKey: text('CLEARENT_PUBLIC_KEY'),
    storefronts: parseStorefrontKeys(text('STOREFRONT_KEYS') ?? localDefaults.storefrontKeys),
    dataDir: text('DATA_DIR') ?? localDefaults.dataDir,
    dynamoDb: engineFrom(text('LOCAL_DYNAMODB')),
  };
}

function engineFrom(value: string | undefined): DynamoDbEngineSetting {
  if (value === undefined || value === 'auto') return 'auto';
  if (!(dynamoDbEngines as readonly string[]).includes(value)) {
    throw new LocalSettingsError(
      `LOCAL_DYNAMODB must be ${dynamoDbEngines.join(' or ')} (or unset: DynamoDB Local when Java 17+ is there), got "${value}"`,
    );
  }
  return value as DynamoDbEngineSetting;
}

const storefrontIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

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
    // Shaped as the authorizer accepts keys (it refuses any other without a lookup).
    if (!isWellFormedApiKey(apiKey)) {
      throw new LocalSettingsError(
        `STOREFRONT_KEYS: the key of storefront ${storefrontId} must be sk_test_ and 4 to 64 letters, digits or _`,
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
