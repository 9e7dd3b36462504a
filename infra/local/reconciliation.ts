/**
 * `POST /_local/run-reconciliation`: the scheduled reconciliation, in this process, exactly as the
 * scheduler would run it at `now` (optional body `{"now": "<ISO time>"}`, default the clock). Answers
 * with what it resolved once it has finished.
 */
import type { PaymentsPorts } from '../../shared/payments/ports';
import { reconcile } from '../../shared/payments/reconciliation';
import { type LocalRoute, scheduledRunOf } from './local-routes';

/** The live ports, loaded on the first run, after the local runtime has set their environment. */
async function livePortsOnDemand(): Promise<PaymentsPorts> {
  const live: typeof import('../../shared/payments/live-ports') = require('../../shared/payments/live-ports');
  return live.livePorts();
}

/** The local route; the run sees the clock at `now`, moving on from it. */
export function runReconciliationRoute(ports: () => Promise<PaymentsPorts> = livePortsOnDemand): LocalRoute {
  return async (body) => {
    const run = scheduledRunOf(body);
    if ('refusal' in run) return run.refusal;
    return { statusCode: 200, body: await reconcile({ ...(await ports()), clock: run.clock }, run.now) };
  };
}
