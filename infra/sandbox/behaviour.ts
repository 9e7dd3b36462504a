/**
 * How the simulated gateway behaves where Clearent's documents allow more than one answer. Tests pick
 * the unkind variant they need; the defaults are what Clearent documents (or its real sandbox does).
 * Settable at start, at run time (`sandbox.configure`) and over HTTP (`PUT /_sandbox/behaviour`).
 */
import * as z from 'zod';

const duplicateDetectionSchema = z.strictObject({
  /** How far back an earlier approved sale counts (Clearent: 1 to 60 minutes). */
  windowMs: z.int().positive(),
  /** Same invoice, or same card last four and amount. */
  match: z.enum(['invoice', 'last-four-amount']),
  /**
   * `earlier-transaction` (Clearent's default): 200 with the earlier approved sale, nothing new charged.
   * `error`: 402 with result code 032, recorded as a declined sale.
   */
  respondWith: z.enum(['earlier-transaction', 'error']),
});

const behaviourSchema = z.strictObject({
  /** A transaction shows in searches and lookups only once `now()` reached its `created` + this. */
  searchLagMs: z.int().nonnegative(),
  /** How a search or lookup matching nothing is answered: empty list, No Content, or 404 envelope. */
  emptySearchStatus: z.literal([200, 204, 404]),
  /** A JWT sale under 1.00 whose amount is not in the trigger table declines (402, 023). */
  mobileAmountsUnderOneDecline: z.boolean(),
  /** Clearent's per-terminal duplicate check; `false` is off. */
  duplicateDetection: z.union([z.literal(false), duplicateDetectionSchema]),
});

export type DuplicateDetection = z.infer<typeof duplicateDetectionSchema>;
export type SandboxBehaviour = z.infer<typeof behaviourSchema>;

/** Validates a partial behaviour from JSON or from a test. */
export const behaviourChangeSchema = behaviourSchema.partial();

export const DEFAULT_SANDBOX_BEHAVIOUR: Readonly<SandboxBehaviour> = Object.freeze({
  searchLagMs: 0,
  emptySearchStatus: 204,
  mobileAmountsUnderOneDecline: true,
  duplicateDetection: false,
});

/** `current` with `change` applied; throws a ZodError when the change makes no sense. */
export function changeBehaviour(
  current: SandboxBehaviour,
  change: Partial<SandboxBehaviour>,
): SandboxBehaviour {
  const next = { ...current, ...behaviourChangeSchema.parse(change) };
  if (next.duplicateDetection) Object.freeze(next.duplicateDetection);
  return Object.freeze(next);
}
