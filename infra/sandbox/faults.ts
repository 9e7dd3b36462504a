/**
 * Faults a test queues to see how a client copes with a gateway that misbehaves. Each fault applies to
 * the next `times` (default 1) requests it matches (by operation and/or path prefix; default any
 * gateway request), first queued first.
 *
 * - `late`: process, then answer only after `delayMs` (the client should have given up by then).
 * - `http-error`: answer 500 or 503 WITHOUT processing.
 * - `malformed`: process, then answer 200 with a truncated body.
 * - `reset-after-processing`: process, then drop the connection without answering.
 * - `reset-before-processing`: drop the connection without processing.
 * - `xml`: answer XML even though JSON was asked for.
 */
import * as z from 'zod';

export const sandboxOperations = [
  'issue-jwt',
  'mobile-sale',
  'sale',
  'refund',
  'void',
  'search',
  'get-token',
  'delete-token',
  'create-token',
] as const;

/** What a gateway request does; faults can be aimed at one operation. */
export type SandboxOperation = (typeof sandboxOperations)[number];

const faultMatchSchema = z.strictObject({
  operation: z.enum(sandboxOperations).optional(),
  pathPrefix: z.string().startsWith('/').optional(),
});

const targeting = {
  times: z.int().positive().optional(),
  match: faultMatchSchema.optional(),
};

export const faultInjectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('late'), delayMs: z.int().nonnegative(), ...targeting }),
  z.strictObject({ kind: z.literal('http-error'), status: z.literal([500, 503]), ...targeting }),
  z.strictObject({ kind: z.literal('malformed'), ...targeting }),
  z.strictObject({ kind: z.literal('reset-after-processing'), ...targeting }),
  z.strictObject({ kind: z.literal('reset-before-processing'), ...targeting }),
  z.strictObject({ kind: z.literal('xml'), ...targeting }),
]);

export type FaultInjection = z.infer<typeof faultInjectionSchema>;

interface QueuedFault {
  injection: FaultInjection;
  remaining: number;
}

export class FaultQueue {
  private queued: QueuedFault[] = [];

  /** Validates and queues a fault; throws a ZodError when it makes no sense. */
  add(injection: FaultInjection): void {
    const valid = faultInjectionSchema.parse(injection);
    this.queued.push({ injection: valid, remaining: valid.times ?? 1 });
  }

  /** The first queued fault matching this request, counted as used. */
  take(operation: SandboxOperation, path: string): FaultInjection | undefined {
    const queued = this.queued.find(({ injection: { match } }) => {
      if (match?.operation !== undefined && match.operation !== operation) return false;
      return match?.pathPrefix === undefined || path.startsWith(match.pathPrefix);
    });
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining === 0) this.queued = this.queued.filter((candidate) => candidate !== queued);
    return queued.injection;
  }

  /** Faults still waiting, with how many requests each will still hit. */
  pending(): readonly (FaultInjection & { remaining: number })[] {
    return this.queued.map(({ injection, remaining }) => ({ ...injection, remaining }));
  }

  clear(): void {
    this.queued = [];
  }
}
