/**
 * zod's English messages, for the issues our schemas can raise without a message of their own: the
 * text zod's `en` locale writes (test/shared/zod-messages.test.ts compares them), in a fifth of its
 * bytes (issue 11: every function bundles this). An issue this does not know reads "Invalid input", as
 * zod's own fallback does.
 */
import type { core } from './zod';

type Issue = core.$ZodRawIssue;

/** How zod names a received value's type (its `util.parsedType`, for what JSON can hold). */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

const quoted = (value: unknown) => (typeof value === 'string' ? `"${value}"` : `${value}`);

const units: Record<string, string> = {
  string: 'characters',
  file: 'bytes',
  array: 'items',
  set: 'items',
  map: 'entries',
};

function bound(issue: Issue & { origin?: string }, word: string, limit: unknown, strict: string) {
  const origin = issue.origin ?? 'value';
  const adjective = issue.exact ? 'exactly ' : issue.inclusive ? `${strict}=` : strict;
  const unit = units[origin];
  return unit
    ? `${word}: expected ${origin} to have ${adjective}${limit} ${unit}`
    : `${word}: expected ${origin} to be ${adjective}${limit}`;
}

const formats: Record<string, string> = { datetime: 'ISO datetime', date: 'ISO date', time: 'ISO time' };

export function englishMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${typeOf(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${quoted(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(quoted).join('|')}`;
    case 'too_big':
      return bound(issue, 'Too big', issue.maximum, '<');
    case 'too_small':
      return bound(issue, 'Too small', issue.minimum, '>');
    case 'invalid_format':
      return issue.format === 'regex'
        ? `Invalid string: must match pattern ${(issue as { pattern?: string }).pattern}`
        : `Invalid ${formats[issue.format] ?? issue.format}`;
    case 'not_multiple_of':
      return `Invalid number: must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(quoted).join(', ')}`;
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    case 'invalid_element':
      return `Invalid value in ${issue.origin}`;
    default:
      return 'Invalid input';
  }
}
