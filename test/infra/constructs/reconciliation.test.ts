import { Match } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { rateSeconds } from '../../../infra/constructs/reconciliation';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: ReconciliationRuns', () => {
  let prod: Synthesized;
  const arnOf = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

  beforeAll(() => {
    prod = synthesize('prod');
  });

  const resource = (logicalId: string) => prod.template.toJSON().Resources[logicalId];
  const rolesOf = (policy: iam.ManagedPolicy): string[] =>
    (resource(logicalIdOf(prod.stack, policy)).Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
  const ids = () => ({
    fn: logicalIdOf(prod.stack, prod.stack.functions.get('reconciliation')),
    deadLetters: logicalIdOf(prod.stack, prod.stack.reconciliation.runDeadLetters),
    schedule: logicalIdOf(prod.stack, prod.stack.reconciliation.schedule),
    policy: logicalIdOf(prod.stack, prod.stack.reconciliation.schedulerPolicy),
    role: rolesOf(prod.stack.reconciliation.schedulerPolicy)[0] as string,
  });

  it('invokes reconciliation every 5 minutes with the scheduled time, retries and a dead-letter queue', () => {
    expect(resource(ids().schedule).Properties).toEqual({
      Description: 'Payments prod: resolve pending sales and refunds past the settle window',
      ScheduleExpression: 'rate(5 minutes)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: arnOf(ids().fn),
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 300 },
        DeadLetterConfig: { Arn: arnOf(ids().deadLetters) },
        RoleArn: arnOf(ids().role),
      },
    });
  });

  it('takes the schedule from the stage settings', () => {
    // Act
    const { stack, template } = synthesize('dev', {
      overrides: { reconciliationSchedule: 'rate(10 minutes)' },
    });

    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(10 minutes)',
      Target: Match.objectLike({ Arn: arnOf(logicalIdOf(stack, stack.functions.get('reconciliation'))) }),
    });
  });

  it('ends a run before the next one is due, so that one reserved instance never throttles a run', () => {
    // Act
    const interval = rateSeconds(resource(ids().schedule).Properties.ScheduleExpression);

    // Assess
    expect(interval).toBe(300);
    expect(resource(ids().fn).Properties.Timeout).toBeLessThan(interval as number);
    expect(resource(ids().fn).Properties.ReservedConcurrentExecutions).toBe(1);
    expect(() => synthesize('dev', { overrides: { reconciliationSchedule: 'rate(3 minutes)' } })).toThrow(
      "reconciliation schedule rate(3 minutes) must be longer than the function's 180 s timeout",
    );
  });

  it('uses a scheduler role of its own, assumable by this account only, to invoke reconciliation and park runs', () => {
    // Act
    const policy = resource(ids().policy).Properties;

    // Assess
    expect(policy.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(ids().fn) },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(ids().deadLetters) },
    ]);
    expect(rolesOf(prod.stack.reconciliation.schedulerPolicy)).toEqual([ids().role]);
    expect(rolesOf(prod.stack.recurring.schedulerPolicy)).not.toContain(ids().role);
    expect(resource(ids().role).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(resource(ids().schedule).DependsOn).toEqual(expect.arrayContaining([ids().policy]));
  });

  it('keeps undeliverable runs 14 days in an encrypted queue that refuses requests without TLS', () => {
    expect(resource(ids().deadLetters).Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    prod.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids().deadLetters }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('Function: rateSeconds', () => {
  it.each([
    ['rate(5 minutes)', 300],
    ['rate(1 minute)', 60],
    ['rate(2 hours)', 7200],
    ['rate(1 day)', 86_400],
    ['cron(0/5 * * * ? *)', undefined],
    ['at(2026-01-01T00:00:00)', undefined],
    ['rate(5 fortnights)', undefined],
  ])('reads %p as %p seconds', (expression, seconds) => {
    expect(rateSeconds(expression)).toBe(seconds);
  });
});
