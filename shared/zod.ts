/**
 * zod for everything that ends up in a Lambda bundle: zod/mini, the functional API whose unused parts
 * esbuild drops (classic zod's methods pull in the whole of it, JSON Schema conversion included: issue 11).
 * Import it as `import * as z from '<path>/zod'`, never 'zod' or 'zod/mini' directly.
 *
 * Classic zod sets English as the error locale on its first schema; zod/mini sets none (every message
 * would be "Invalid input"), so English is set here, once, before any schema of the project is built:
 * zod's own messages, written by ./zod-messages.ts. zod asks for a message only when a value fails, so
 * a Lambda bundle loads them then, from a file of their own (./lazy-file.ts): bad input is not on the
 * way of a request that succeeds.
 */
import { join } from 'node:path';
import { config, ZodMiniISODateTime } from 'zod/mini';
import { _isoDateTime } from 'zod/v4/core';
import { loadBesideOr } from './lazy-file';

type Messages = typeof import('./zod-messages');

/** The file the bundling writes beside the function's `index.js` (infra/bundling.ts). */
export const ZOD_MESSAGES_FILE = 'zod-messages.js';

let messages: Messages | undefined;

config({
  localeError: (issue) => {
    messages ??= loadBesideOr<Messages>(ZOD_MESSAGES_FILE, join(__dirname, 'zod-messages'));
    return messages.englishMessage(issue);
  },
});

export * from 'zod/mini';

/**
 * `z.iso.datetime()`, built without reading the `iso` namespace: a bundle that reads a namespace holds
 * all of it (every ISO format's schema and expressions), where this holds the one format.
 */
export const isoDatetime = () => _isoDateTime(ZodMiniISODateTime, {});
