import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '../routes';
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

export interface ScheduledRunsProps {
  stage: StageSettings;
  /** The function the schedule starts; its timeout must end a run before the next one is due. */
  name: FunctionName;
  fn: lambda.IFunction;
  /** The runs, for the role's description, e.g. `reconciliation runs`. */
  runs: string;
  /** What a run does, for the schedule's description. */
  task: string;
  /** EventBridge Scheduler expression, e.g. `rate(5 minutes)`. */
  expression: string;
  /** A run older than this is superseded by a later one. */
  maxEventAge: Duration;
}

/**
 * A schedule that starts `fn` (`{"scheduledTime": "<ISO 8601>"}`, like the recurring selector's), with
 * its own scheduler role and dead-letter queue. The function runs one instance at a time, so a `rate()`
 * must be longer than its timeout: a run still going when the next is due would have that one throttled.
 */
export class ScheduledRuns extends Construct {
  readonly schedule: scheduler.Schedule;
  /** Everything the scheduler may do: invoke the function, park undeliverable runs. */
  readonly schedulerPolicy: iam.ManagedPolicy;
  /** Runs EventBridge Scheduler could not deliver to the function. */
  readonly runDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: ScheduledRunsProps) {
    super(scope, id);
    const { stage, name, fn, runs, task, expression, maxEventAge } = props;
    const interval = rateSeconds(expression);
    const timeout = functionTimeoutSeconds[name];
    if (interval !== undefined && interval <= timeout) {
      throw new Error(
        `${name} schedule ${expression} must be longer than the function's ${timeout} s timeout`,
      );
    }
    this.runDeadLetters = encryptedQueue(this, 'RunDeadLetters', parkedMessages);
    const run = scheduledInvocation(this, {
      stage,
      runs,
      task,
      expression,
      fn,
      deadLetters: this.runDeadLetters,
      maxEventAge,
    });
    this.schedule = run.schedule;
    this.schedulerPolicy = run.policy;
  }
}

export interface ReconciliationRunsProps {
  stage: StageSettings;
  fn: lambda.IFunction;
}

/** The schedule that starts a reconciliation run, resolving pending attempts past the settle window. */
export class ReconciliationRuns extends ScheduledRuns {
  constructor(scope: Construct, id: string, { stage, fn }: ReconciliationRunsProps) {
    super(scope, id, {
      stage,
      name: 'reconciliation',
      fn,
      runs: 'reconciliation runs',
      task: 'resolve pending sales and refunds past the settle window',
      expression: stage.reconciliationSchedule,
      // Older than one default interval, a run is superseded: the next one reads the same pending index.
      maxEventAge: Duration.minutes(5),
    });
  }
}
