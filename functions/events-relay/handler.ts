/**
 * Publishes events as soon as they are written: the table's DynamoDB stream (new images, filtered by
 * the stack to items whose outbox is in the `work` index) invokes this with the changed items, and each
 * item's due outbox entries are relayed. A record that fails is reported (partial batch response) and
 * retried by the stream; the sweep (functions/webhook-sweep) is the backstop for anything missed.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { liveWebhookPorts } from '../../shared/webhooks/live-ports';
import { type EndpointLists, relayOutbox } from '../../shared/webhooks/relay';

const ports = liveWebhookPorts();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function relayRecord(record: DynamoDBRecord, lists: EndpointLists): Promise<void> {
  const keys = record.dynamodb?.Keys;
  const pk = keys?.pk?.S;
  const sk = keys?.sk?.S;
  // Only items with an outbox reach here (the stack's filter); a removal has nothing to publish.
  if (record.eventName === 'REMOVE' || pk === undefined || sk === undefined) return;
  const published = await relayOutbox(ports, { pk, sk }, lists);
  if (published > 0) logger.info('events published', { published });
}

export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  logger.addContext(context);
  // One batch reads each storefront's endpoints once, however many of its items changed.
  const lists: EndpointLists = new Map();
  return processPartialResponse(event, (record: DynamoDBRecord) => relayRecord(record, lists), processor, {
    context,
  });
};
