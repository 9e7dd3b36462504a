/**
 * The scheduled run (EventBridge Scheduler, input `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`):
 * queues one charge message per subscription due at the scheduled time.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { recurringQueueUrl, tableName } from '../../shared/config';
import { logger } from '../../shared/observability/logger';
import { sdkLogger } from '../../shared/observability/sdk-logger';
import { DynamoDueSubscriptions } from '../../shared/store/due-subscriptions';
import { documentClient } from '../../shared/store/dynamo';
import { SqsChargeQueue } from '../../shared/subscriptions/charge-queue';
import { type Selection, selectDueCharges } from '../../shared/subscriptions/selector';

const ports = {
  due: new DynamoDueSubscriptions(documentClient(), tableName()),
  // A page of the due index becomes ~100-250 SendMessageBatch calls, sent at once: more sockets than the
  // SDK's default 50, so that a run with a million charges queues them well within the function's minute.
  queue: new SqsChargeQueue(
    new SQSClient({
      logger: sdkLogger,
      requestHandler: { httpsAgent: { keepAlive: true, maxSockets: 200 } },
    }),
    recurringQueueUrl(),
  ),
};

/** Stop reading with this much time left, so the run ends cleanly; the rest stays due for the next run. */
const SAFETY_MARGIN_MS = 10_000;

export interface ScheduledRunEvent {
  scheduledTime?: unknown;
}

export const handler = async (event: ScheduledRunEvent, context: Context): Promise<Selection> => {
  logger.addContext(context);
  const scheduledTime = typeof event.scheduledTime === 'string' ? new Date(event.scheduledTime) : undefined;
  if (!scheduledTime || Number.isNaN(scheduledTime.getTime())) {
    // Without the scheduler's time we cannot know what was due: fail so the run is retried or parked.
    throw new Error('the event must carry the scheduled time as {"scheduledTime": "<ISO 8601>"}');
  }
  const selection = await selectDueCharges(ports, scheduledTime, {
    hasTimeLeft: () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS,
  });
  logger.info('recurring run selected', { ...selection });
  return selection;
};
