/**
 * Business and gateway metrics (CloudWatch EMF through Powertools): approvals, declines, gateway
 * latency and gateway errors. `GatewayErrors` is the metric the stack's alarm watches.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { GatewayCallRecord } from '../clearent/types';
import { logger } from './logger';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Payments',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'payments',
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
