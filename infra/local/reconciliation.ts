/**
 * `POST /_local/run-reconciliation`: the scheduled reconciliation, in this process, exactly as the
 * scheduler would run it at `now` (optional body `{"now": "<ISO time>"}`, default the clock). Answers
 * with what it resolved once it has finished.
 */
import * as z from 'zod';
import type { PaymentsPorts } from '../../shared/payments/ports';
import { reconcile } from '../../shared/payments/reconciliation';
import type { LocalRoute } from './local-routes';

const bodySchema = z.strictObject({
  now: z.iso
    .datetime({ offset: true, error: 'now must be an ISO 8601 time like "2026-12-24T00:00:00Z"' })
    .optional(),
});

/** The live ports, loaded on the first run, after the local runtime has set their environment. */
async function livePortsOnDemand(): Promise<PaymentsPorts> {
  const live: typeof import('../../shared/payments/live-ports') = require('../../shared/payments/live-ports');
  return live.livePorts();
}

/** The local route; the run sees the clock at `now`, moving on from it. */
export function runReconciliationRoute(ports: () => Promise<PaymentsPorts> = livePortsOnDemand): LocalRoute {
  return async (body) => {
    const parsed = bodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'the body must be {"now": "<ISO time>"}';
      return {
        statusCode: 400,
        body: { error: { type: 'invalid_request_error', code: 'validation_error', message, param: 'now' } },
      };
    }
    const now = parsed.data.now ? new Date(parsed.data.now) : new Date();
    const offset = now.getTime() - Date.now();
    const clock = { now: () => new Date(Date.now() + offset) };
    return { statusCode: 200, body: await reconcile({ ...(await ports()), clock }, now) };
  };
}
