/**
 * The one logger: Powertools' structured log (JSON, one line per event; ./structured-logger.ts), with
 * every value passed through the gateway scrubber on its way out, so that a card number, JWT, token id
 * or key that slipped into a message, an error or an attribute never reaches the log.
 */
import { scrubObject } from '../clearent/scrub';
import { sendSdkLogsTo } from './sdk-logger';
import { installLazySourceMaps } from './stack-map';
import { structuredLogger } from './structured-logger';

// In a Lambda bundle, stack traces are mapped to the TypeScript sources when first formatted.
installLazySourceMaps(__filename);

/** Scrubs each leaf by its field name and content; objects are walked by JSON.stringify itself. */
export function scrubbingReplacer(key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null) return value;
  if (key === '') return scrubObject(value);
  return (scrubObject({ [key]: value }) as Record<string, unknown>)[key];
}

export const logger = structuredLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'payments',
  jsonReplacerFn: scrubbingReplacer,
});

// The AWS SDK clients' warnings and errors (./sdk-logger.ts) are written as ours.
sendSdkLogsTo((level, message) => logger[level](message));
