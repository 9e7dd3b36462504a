import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { recurringWorkerTimeoutSeconds } from '../../shared/time-budget';
import type { StageSettings } from '../stages';

/** The worker's timeout (the time budget's); the queue's visibility timeout is derived from it. */
export const recurringWorkerTimeout = Duration.seconds(recurringWorkerTimeoutSeconds);

/** Deliveries of one subscription's message before it is parked in the dead-letter queue. */
export const recurringMaxReceiveCount = 5;

/**
 * Messages carry ids and scheduled times only (never card data); SQS-managed encryption keeps them at
 * rest. Shared by every queue of the stack, the reconciliation run's dead letters included.
 */
export function encryptedQueue(scope: Construct, id: string, props: sqs.QueueProps = {}): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    ...props,
  });
}

/** A dead-letter queue keeps its messages the longest SQS allows, for a person to look at. */
export const parkedMessages: sqs.QueueProps = { retentionPeriod: Duration.days(14) };

export interface ScheduledInvocationProps {
  stage: StageSettings;
  /** The runs, for the role's description, e.g. `recurring runs`. */
  runs: string;
  /** What a run does, for the schedule's description. */
  task: string;
  /** EventBridge Scheduler expression, e.g. `rate(5 minutes)`. */
  expression: string;
  fn: lambda.IFunction;
  /** Where the scheduler parks a run it could not deliver. */
  deadLetters: sqs.IQueue;
  /** A run older than this is superseded by a later one. */
  maxEventAge: Duration;
}

export interface ScheduledInvocation {
  schedule: scheduler.Schedule;
  /** Everything the scheduler may do: invoke the function, park undeliverable runs. */
  policy: iam.ManagedPolicy;
}

/**
 * A schedule invoking `fn` with `{"scheduledTime": "<ISO 8601>"}` (the time the run was due), retried
 * three times then parked in `deadLetters`, through a role of its own that may do only that. Creates
 * `SchedulerRole` and `Schedule` in `scope`.
 */
export function scheduledInvocation(
  scope: Construct,
  { stage, runs, task, expression, fn, deadLetters, maxEventAge }: ScheduledInvocationProps,
): ScheduledInvocation {
  const role = new iam.Role(scope, 'SchedulerRole', {
    description: `Payments ${stage.name}: EventBridge Scheduler starting ${runs}`,
    // Only schedules of this account may use the role (confused deputy).
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  const policy = new iam.ManagedPolicy(role, 'Permissions', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetters.queueArn] }),
    ],
  });
  const schedule = new scheduler.Schedule(scope, 'Schedule', {
    description: `Payments ${stage.name}: ${task}`,
    schedule: scheduler.ScheduleExpression.expression(expression),
    target: new targets.LambdaInvoke(fn, {
      // Immutable: CDK would otherwise add an inline policy with a wildcard over function versions.
      role: role.withoutPolicyUpdates(),
      input: scheduler.ScheduleTargetInput.fromObject({
        scheduledTime: scheduler.ContextAttribute.scheduledTime,
      }),
      retryAttempts: 3,
      maxEventAge,
      deadLetterQueue: deadLetters,
    }),
  });
  schedule.node.addDependency(policy);
  return { schedule, policy };
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
    this.chargesDeadLetters = encryptedQueue(this, 'ChargesDeadLetters', parkedMessages);
    this.runDeadLetters = encryptedQueue(this, 'RunDeadLetters', parkedMessages);
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
    const run = scheduledInvocation(this, {
      stage,
      runs: 'recurring runs',
      task: 'select the subscriptions due for a charge',
      expression: stage.recurringSchedule,
      fn: selector,
      deadLetters: queues.runDeadLetters,
      // A run older than this is superseded by the next one, which selects the same due subscriptions.
      maxEventAge: Duration.minutes(10),
    });
    this.schedule = run.schedule;
    this.schedulerPolicy = run.policy;
    worker.addEventSource(
      new SqsEventSource(queues.charges, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: stage.workerMaxConcurrency,
      }),
    );
  }
}
