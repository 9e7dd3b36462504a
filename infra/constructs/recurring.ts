import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageSettings } from '../stages';

/** The worker's timeout; the queue's visibility timeout is derived from it. */
export const recurringWorkerTimeout = Duration.minutes(2);

/** Deliveries of one subscription's message before it is parked in the dead-letter queue. */
export const recurringMaxReceiveCount = 5;

/** Messages carry subscription ids only (never card data); SQS-managed encryption keeps them at rest. */
function encryptedQueue(scope: Construct, id: string, props: sqs.QueueProps = {}): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    ...props,
  });
}

/** The queues of recurring charges, created before the functions that use them. */
export class RecurringQueues extends Construct {
  /** One message per subscription due in a run. */
  readonly charges: sqs.Queue;
  /** Charge messages that failed `recurringMaxReceiveCount` times. */
  readonly chargesDeadLetters: sqs.Queue;
  /** Scheduled runs EventBridge Scheduler could not deliver to the selector. */
  readonly runDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const parked = { retentionPeriod: Duration.days(14) };
    this.chargesDeadLetters = encryptedQueue(this, 'ChargesDeadLetters', parked);
    this.runDeadLetters = encryptedQueue(this, 'RunDeadLetters', parked);
    this.charges = encryptedQueue(this, 'Charges', {
      // AWS guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(recurringWorkerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.chargesDeadLetters, maxReceiveCount: recurringMaxReceiveCount },
    });
  }
}

export interface RecurringRunsProps {
  stage: StageSettings;
  queues: RecurringQueues;
  selector: lambda.IFunction;
  worker: lambda.IFunction;
}

/**
 * The schedule that starts a run (selector) and the event source that charges each due subscription
 * (worker). The selector receives `{"scheduledTime": "<ISO 8601>"}`, the time the run was due.
 */
export class RecurringRuns extends Construct {
  readonly schedule: scheduler.Schedule;
  /** Everything the scheduler may do: invoke the selector, park undeliverable runs. */
  readonly schedulerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, { stage, queues, selector, worker }: RecurringRunsProps) {
    super(scope, id);
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `Payments ${stage.name}: EventBridge Scheduler starting recurring runs`,
      // Only schedules of this account may use the role (confused deputy).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.schedulerPolicy = new iam.ManagedPolicy(schedulerRole, 'Permissions', {
      roles: [schedulerRole],
      statements: [
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [selector.functionArn] }),
        new iam.PolicyStatement({
          actions: ['sqs:SendMessage'],
          resources: [queues.runDeadLetters.queueArn],
        }),
      ],
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Payments ${stage.name}: select the subscriptions due for a charge`,
      schedule: scheduler.ScheduleExpression.expression(stage.recurringSchedule),
      target: new targets.LambdaInvoke(selector, {
        // Immutable: CDK would otherwise add an inline policy with a wildcard over function versions.
        role: schedulerRole.withoutPolicyUpdates(),
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 3,
        // A run older than this is superseded by the next one, which selects the same due subscriptions.
        maxEventAge: Duration.minutes(10),
        deadLetterQueue: queues.runDeadLetters,
      }),
    });
    this.schedule.node.addDependency(this.schedulerPolicy);
    worker.addEventSource(
      new SqsEventSource(queues.charges, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: stage.workerMaxConcurrency,
      }),
    );
  }
}
