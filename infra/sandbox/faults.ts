/**
 * Faults a test queues to see how a client copes with a gateway that misbehaves. Each fault applies to
 * the next `times` (default 1) requests it matches (by operation and/or path prefix; default any
 * gateway request), first queued first. "Processed" means exactly what the gateway does without a
 * fault: the card charged, the refund made, the JWT used up, recorded in the ledger (and the journal).
 *
 * - `late` `{delayMs}`: processed at once, answered only `delayMs` real milliseconds later (after
 *   `latencyMs`); a client with a shorter timeout gives up on a request that did happen.
 * - `late-completion` `{delayMs}`: NOT processed now. It is processed once the simulator clock `now()`
 *   reaches its arrival + `delayMs` (its `created` is that moment), and answered then if the client's
 *   connection is still open. Due completions are applied by a real timer, before any request is
 *   handled, and by `sandbox.flushDue()`; `reset()` and `close()` drop the ones still pending. When it
 *   comes, it is judged against the state of that moment: a JWT used by a retry in the meantime is
 *   refused (400, nothing recorded), a card token is charged a second time.
 * - `http-error` `{status, processed?}`: answers `status` WITHOUT processing, or after processing when
 *   `processed: true` (a 5xx after the charge). 500 is Clearent's envelope (result code 050); 502, 503
 *   and 504 are a load balancer's HTML page, not Clearent's envelope at all.
 * - `malformed`: processed, then answered 200 with the first half of the body.
 * - `reset-after-processing`: processed, then the connection is dropped without an answer.
 * - `reset-before-processing`: the connection is dropped without processing.
 * - `xml`: answered in XML although JSON was asked for.
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
  z.strictObject({ kind: z.literal('late-completion'), delayMs: z.int().nonnegative(), ...targeting }),
  z.strictObject({
    kind: z.literal('http-error'),
    status: z.literal([500, 502, 503, 504]),
    processed: z.boolean().optional(),
    ...targeting,
  }),
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
