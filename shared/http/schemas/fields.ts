/**
 * Field schemas the response resources share (the request fields are in ../validation.ts).
 */
import * as z from '../../zod';

/** An ISO 8601 time in UTC, as `Date.prototype.toISOString` writes it. */
export const timestampSchema = z.iso.datetime().check(z.meta({ examples: ['2026-11-24T10:00:00.000Z'] }));

/** An amount in a response: US dollars, always with two decimals. */
export const moneySchema = z
  .string()
  .check(
    z.regex(/^\d+\.\d{2}$/),
    z.meta({ description: 'US dollars, always with two decimals', examples: ['25.55'] }),
  );

/** The currency of every amount. */
export const currencySchema = z.literal('USD');

/** The cursor of the next page of a list; `null` on the last page. */
export const nextCursorSchema = z
  .nullable(z.string())
  .check(z.meta({ description: 'Pass as `cursor` to read the next page; `null` on the last page' }));
