import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageSettings } from '../stages';
import { functionTimeoutSeconds } from '../timeouts';
import { encryptedQueue, parkedMessages, scheduledInvocation } from './recurring';

const secondsPerUnit: Readonly<Record<string, number>> = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86_400,
  days: 86_400,
};

/** The interval of a `rate(...)` schedule expression in seconds; `undefined` for `cron(...)` and `at(...)`. */
export function rateSeconds(expression: string): number | undefined {
  const match = /^rate\((\d+) (\w+)\)$/.exec(expression.trim());
  const unit = match?.[2] === undefined ? undefined : secondsPerUnit[match[2]];
  return match?.[1] === undefined || unit === undefined ? undefined : Number(match[1]) * unit;
}

export interface ReconciliationRunsProps {
  stage: StageSettings;
  fn: lambda.IFunction;
}

/**
 * The schedule that starts a reconciliation run (`{"scheduledTime": "<ISO 8601>"}`, like the recurring
 * selector's), with its own scheduler role and dead-letter queue.
 */
export class ReconciliationRuns extends Construct {
  readonly schedule: scheduler.Schedule;
  /** Everything the scheduler may do: invoke reconciliation, park undeliverable runs. */
  readonly schedulerPolicy: iam.ManagedPolicy;
  /** Runs EventBridge Scheduler could not deliver to the function. */
  readonly runDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, { stage, fn }: ReconciliationRunsProps) {
    super(scope, id);
    const interval = rateSeconds(stage.reconciliationSchedule);
    // One reserved instance: a run still going when the next is due would have that one throttled.
    if (interval !== undefined && interval <= functionTimeoutSeconds.reconciliation) {
      throw new Error(
        `reconciliation schedule ${stage.reconciliationSchedule} must be longer than the function's ` +
          `${functionTimeoutSeconds.reconciliation} s timeout`,
      );
    }
    this.runDeadLetters = encryptedQueue(this, 'RunDeadLetters', parkedMessages);
    const run = scheduledInvocation(this, {
      stage,
      runs: 'reconciliation runs',
      task: 'resolve pending sales and refunds past the settle window',
      expression: stage.reconciliationSchedule,
      fn,
      deadLetters: this.runDeadLetters,
      // Older than one default interval, a run is superseded: the next one reads the same pending index.
      maxEventAge: Duration.minutes(5),
    });
    this.schedule = run.schedule;
    this.schedulerPolicy = run.policy;
  }
}
