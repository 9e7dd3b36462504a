import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageSettings } from '../stages';
import { webhookDeliveryTimeoutSeconds } from '../timeouts';
import { rateSeconds, ScheduledRuns } from './reconciliation';
import { encryptedQueue, parkedMessages } from './recurring';

/** Receives of one delivery message before it is parked (the delivery itself stays owed: the sweep asks again). */
export const webhookMaxReceiveCount = 5;

/** Changed items per relay invocation. */
export const relayBatchSize = 25;

/** Retries of a failed stream batch (halved each time, only from the failed record on) before it is parked. */
export const relayRetryAttempts = 10;

/**
 * A stream record older than this is parked instead of holding up its shard: the sweep relays every
 * outbox that is due within a minute anyway, so the stream is only the fast path.
 */
export const relayMaxRecordAge = Duration.minutes(10);

/**
 * The prefix of `workPk` on items whose outbox holds events (`outboxPartition` in shared/events/outbox.ts;
 * deliveries waiting in the same index are `WEBHOOK#<shard>`). Checked against it in the stack's tests.
 */
export const outboxWorkPrefix = 'OUTBOX#';

/** The queues of webhook delivery, created before the functions that use them. */
export class WebhookQueues extends Construct {
  /** One message per delivery attempt asked for (ids only: never the event or a secret). */
  readonly deliveries: sqs.Queue;
  /** Delivery messages that failed `webhookMaxReceiveCount` times. */
  readonly deliveriesDeadLetters: sqs.Queue;
  /** Stream batches the events relay could not process (their shard, sequence numbers and times). */
  readonly relayFailures: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deliveriesDeadLetters = encryptedQueue(this, 'DeliveriesDeadLetters', parkedMessages);
    this.relayFailures = encryptedQueue(this, 'RelayFailures', parkedMessages);
    this.deliveries = encryptedQueue(this, 'Deliveries', {
      // AWS guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(webhookDeliveryTimeoutSeconds * 6),
      deadLetterQueue: { queue: this.deliveriesDeadLetters, maxReceiveCount: webhookMaxReceiveCount },
    });
  }
}

export interface WebhookRunsProps {
  stage: StageSettings;
  table: dynamodb.ITable;
  queues: WebhookQueues;
  relay: lambda.IFunction;
  sweep: lambda.IFunction;
  delivery: lambda.IFunction;
}

/**
 * What sets webhooks going: the table's stream starts the events relay for each item whose outbox holds
 * events, the delivery queue feeds the delivery function, and a schedule starts the sweep (the backstop
 * for both, with its own scheduler role and dead-letter queue). The sweep receives
 * `{"scheduledTime": "<ISO 8601>"}`.
 */
export class WebhookRuns extends Construct {
  readonly sweep: ScheduledRuns;
  readonly relaySource: DynamoEventSource;
  readonly deliverySource: SqsEventSource;

  constructor(
    scope: Construct,
    id: string,
    { stage, table, queues, relay, sweep, delivery }: WebhookRunsProps,
  ) {
    super(scope, id);
    this.relaySource = new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.LATEST,
      // Only items whose outbox holds events: everything else written to the table never invokes it.
      filters: [
        lambda.FilterCriteria.filter({
          dynamodb: { NewImage: { workPk: { S: lambda.FilterRule.beginsWith(outboxWorkPrefix) } } },
        }),
      ],
      batchSize: relayBatchSize,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: relayRetryAttempts,
      maxRecordAge: relayMaxRecordAge,
      onFailure: new SqsDlq(queues.relayFailures),
    });
    relay.addEventSource(this.relaySource);
    this.deliverySource = new SqsEventSource(queues.deliveries, {
      batchSize: 10,
      reportBatchItemFailures: true,
      maxConcurrency: stage.webhookMaxConcurrency,
    });
    delivery.addEventSource(this.deliverySource);
    const interval = rateSeconds(stage.webhookSweepSchedule);
    this.sweep = new ScheduledRuns(this, 'Sweep', {
      stage,
      name: 'webhook-sweep',
      fn: sweep,
      runs: 'webhook sweeps',
      task: 'publish missed events and queue the webhook attempts that are due',
      expression: stage.webhookSweepSchedule,
      // Older than one interval (at least the scheduler's minimum, 60 s), a sweep is superseded.
      maxEventAge: Duration.seconds(Math.max(60, interval ?? 60)),
    });
  }
}
