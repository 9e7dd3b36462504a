/**
 * The webhook sweep (EventBridge Scheduler, every minute): publishes outbox entries the stream missed or
 * that waited their turn, and queues every delivery attempt that is due. See shared/webhooks/sweep.ts.
 */
import type { Context } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { liveWebhookPorts } from '../../shared/webhooks/live-ports';
import { type SweepSummary, sweep } from '../../shared/webhooks/sweep';

const ports = liveWebhookPorts();

export const handler = async (
  event: { scheduledTime?: unknown },
  context: Context,
): Promise<SweepSummary> => {
  logger.addContext(context);
  const summary = await sweep(ports);
  logger.info('webhook sweep', { ...summary, scheduledTime: event.scheduledTime });
  return summary;
};
