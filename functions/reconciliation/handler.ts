/**
 * The scheduled reconciliation (EventBridge Scheduler every 5 minutes, input
 * `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`): resolves every pending sale and refund past the
 * settle window at the gateway. See docs/money-movement.md.
 */
import type { Context } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { metrics, recordReconciliation } from '../../shared/observability/metrics';
import { liveReconciliationPorts } from '../../shared/payments/live-reconciliation-ports';
import { type ReconciliationSummary, reconcile } from '../../shared/payments/reconciliation';
import { gatewayRequestBudgetMs } from '../../shared/time-budget';

const ports = liveReconciliationPorts();

/**
 * Stop reading with less than a page's worth of resolving left (each transaction may take a whole
 * request's gateway budget), so the run ends cleanly; the rest waits for the next run.
 */
const SAFETY_MARGIN_MS = 2 * gatewayRequestBudgetMs;

export interface ScheduledReconciliationEvent {
  scheduledTime?: unknown;
}

export const handler = async (
  event: ScheduledReconciliationEvent,
  context: Context,
): Promise<ReconciliationSummary> => {
  logger.addContext(context);
  // The clock, not the scheduled time: a late run resolves what is past the window now.
  const summary = await reconcile(ports, new Date(), {
    hasTimeLeft: () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS,
  });
  logger.info('reconciliation run', { ...summary, scheduledTime: event.scheduledTime });
  recordReconciliation(summary);
  metrics.publishStoredMetrics();
  return summary;
};
