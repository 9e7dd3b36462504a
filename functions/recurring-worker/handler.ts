/**
 * Charges the subscriptions the selector queued (SQS event source, batches of up to 10, partial batch
 * failures). A message that throws is reported failed and SQS delivers it again after the visibility
 * timeout: an unknown outcome or an unreachable gateway is retried that way, never counted as a decline.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { metrics } from '../../shared/observability/metrics';
import { decodeChargeMessage } from '../../shared/subscriptions/charge-queue';
import { liveRecurringPorts } from '../../shared/subscriptions/live-ports';
import { chargeSubscription } from '../../shared/subscriptions/worker';

const ports = liveRecurringPorts();
const processor = new BatchProcessor(EventType.SQS);

async function chargeRecord(record: SQSRecord): Promise<void> {
  try {
    const message = decodeChargeMessage(record.body);
    const result = await chargeSubscription(ports, message);
    logger.info('recurring charge', { subscriptionId: message.subscriptionId, ...result });
  } catch (error) {
    logger.warn('recurring charge not settled; SQS delivers it again', {
      messageId: record.messageId,
      error,
    });
    throw error;
  }
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    // A batch that failed whole is reported like any other (every item), not as a function error: the
    // messages come back either way, and an unreachable gateway is already alarmed on by its own metric.
    return await processPartialResponse(event, chargeRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  } finally {
    metrics.publishStoredMetrics();
  }
};
