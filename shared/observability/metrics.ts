/**
 * Business and gateway metrics (CloudWatch EMF, ./emf.ts): approvals, declines, gateway
 * latency and gateway errors, duplicate charges reversed, reconciliation, webhook attempts. The stack
 * alarms on `GatewayErrors`, `duplicate_charge_reversed` (the contract's name), `PendingPastWindow`,
 * `WebhooksFailed` and `WebhookEndpointFailing`.
 */
import type { GatewayCallRecord } from '../clearent/types';
import { EmfMetrics, MetricUnit, metricsDisabled } from './emf';
import { logger } from './logger';

/** The invocation's metrics; the handler's wrapper flushes them when it ends. */
export const metrics = new EmfMetrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Payments',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'payments',
  disabled: metricsDisabled(process.env),
  // Straight to stdout, one line: Lambda's patched console would prefix it and CloudWatch would not parse it.
  write: (line) => process.stdout.write(`${line}\n`),
});

/** Logs one gateway call (with its exchange-id, never a body) and counts it. */
export function recordGatewayCall(record: GatewayCallRecord): void {
  const { exchangeId, ...rest } = record;
  logger.info('gateway call', { ...rest, clearentExchangeId: exchangeId });
  metrics.addMetric('GatewayLatency', MetricUnit.Milliseconds, record.durationMs);
  if (record.error) metrics.addMetric('GatewayErrors', MetricUnit.Count, 1);
  if (record.outcome === 'approved') metrics.addMetric('Approvals', MetricUnit.Count, 1);
  if (record.outcome === 'declined') metrics.addMetric('Declines', MetricUnit.Count, 1);
}

/** One extra approval for an invoice, reversed (or not: `failed`). `duplicate_charge_reversed` (the contract's name) alarms. */
export function recordDuplicateReversed(reversal: 'void' | 'refund' | 'failed'): void {
  metrics.addMetric('duplicate_charge_reversed', MetricUnit.Count, 1);
  if (reversal === 'failed') metrics.addMetric('DuplicateChargeNotReversed', MetricUnit.Count, 1);
}

/** Reconciliation's run: what it resolved, and what it could not (`PendingPastWindow` alarms). */
export function recordReconciliation(summary: {
  resolved: number;
  notCharged: number;
  unresolved: number;
}): void {
  metrics.addMetric('ReconciliationResolved', MetricUnit.Count, summary.resolved);
  metrics.addMetric('ReconciliationNotCharged', MetricUnit.Count, summary.notCharged);
  metrics.addMetric('PendingPastWindow', MetricUnit.Count, summary.unresolved);
}

/**
 * One webhook attempt's result: `WebhooksDelivered`, `WebhooksRetried` (failed, will be retried),
 * `WebhooksFailed` (failed for the last time), `WebhooksCanceled` (endpoint gone or deleted).
 */
export function recordWebhookAttempt(
  result: 'delivered' | 'retrying' | 'failed' | 'canceled' | 'skipped',
): void {
  const name = {
    delivered: 'WebhooksDelivered',
    retrying: 'WebhooksRetried',
    failed: 'WebhooksFailed',
    canceled: 'WebhooksCanceled',
    skipped: undefined,
  }[result];
  if (name) metrics.addMetric(name, MetricUnit.Count, 1);
}

/** An endpoint whose attempts have all failed for an hour or more (`WebhookEndpointFailing` alarms). */
export function recordEndpointFailing(): void {
  metrics.addMetric('WebhookEndpointFailing', MetricUnit.Count, 1);
}
