/**
 * Makes webhook delivery attempts (SQS event source, partial batch failures). A message only asks for
 * an attempt: the delivery item decides whether one is due, and records the result and the next
 * attempt. A message that throws (DynamoDB or Secrets Manager unreachable) comes back after the
 * visibility timeout, and after its last receive lands in the dead-letter queue; the delivery itself is
 * still owed and the sweep asks for it again.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { metrics } from '../../shared/observability/metrics';
import { attemptDelivery } from '../../shared/webhooks/deliver';
import { decodeDeliveryMessage } from '../../shared/webhooks/delivery-queue';
import { liveWebhookPorts } from '../../shared/webhooks/live-ports';

const ports = liveWebhookPorts();
const processor = new BatchProcessor(EventType.SQS);

async function deliverRecord(record: SQSRecord): Promise<void> {
  const ref = decodeDeliveryMessage(record.body);
  const result = await attemptDelivery(ports, ref);
  logger.info('webhook attempt', { eventId: ref.eventId, endpointId: ref.endpointId, result });
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, deliverRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  } finally {
    metrics.publishStoredMetrics();
  }
};
