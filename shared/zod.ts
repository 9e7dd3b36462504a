/**
 * zod for everything that ends up in a Lambda bundle: zod/mini, the functional API whose unused parts
 * esbuild drops (classic zod's methods pull in the whole of it, JSON Schema conversion included: issue 11).
 * Import it as `import * as z from '<path>/zod'`, never 'zod' or 'zod/mini' directly.
 *
 * Classic zod sets English as the error locale on its first schema; zod/mini sets none (every message
 * would be "Invalid input"), so English is set here, once, before any schema of the project is built:
 * zod's own messages, written by ./zod-messages.ts.
 */
import { config } from 'zod/mini';
import { englishMessage } from './zod-messages';

config({ localeError: englishMessage });

export * from 'zod/mini';
