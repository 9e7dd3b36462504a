/**
 * `POST /_local/run-reconciliation`: the scheduled reconciliation, in this process, exactly as the
 * scheduler would run it at `now` (optional body `{"now": "<ISO time>"}`, default the clock), as an
 * invocation of the `reconciliation` function (its log lines carry that name). Answers with what it
 * resolved once it has finished.
 */
import type { ReconciliationPorts } from '../../shared/payments/ports';
import { asInvocationOf } from './lambda-context';
import { type LocalRoute, scheduledRunOf } from './local-routes';

/** The live ports, loaded on the first run, after the local runtime has set their environment. */
async function livePortsOnDemand(): Promise<ReconciliationPorts> {
  const live: typeof import('../../shared/payments/live-reconciliation-ports') = require('../../shared/payments/live-reconciliation-ports');
  return live.liveReconciliationPorts();
}

/** The local route; the run sees the clock at `now`, moving on from it. */
export function runReconciliationRoute(
  ports: () => Promise<ReconciliationPorts> = livePortsOnDemand,
): LocalRoute {
  return async (body) => {
    const run = scheduledRunOf(body);
    if ('refusal' in run) return run.refusal;
    // Loaded on the first run: the domain loads the logger, which reads the local environment as it loads.
    const {
      reconcile,
    }: typeof import('../../shared/payments/reconciliation') = require('../../shared/payments/reconciliation');
    const livePorts = await ports();
    const summary = await asInvocationOf('reconciliation', () =>
      reconcile({ ...livePorts, clock: run.clock }, run.now),
    );
    return { statusCode: 200, body: summary };
  };
}
