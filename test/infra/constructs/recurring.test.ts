import { Match } from 'aws-cdk-lib/assertions';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: RecurringQueues and RecurringRuns', () => {
  let prod: Synthesized;
  const arnOf = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

  beforeAll(() => {
    prod = synthesize('prod');
  });

  const ids = () => ({
    selector: logicalIdOf(prod.stack, prod.stack.functions.get('recurring-selector')),
    worker: logicalIdOf(prod.stack, prod.stack.functions.get('recurring-worker')),
    charges: logicalIdOf(prod.stack, prod.stack.queues.charges),
    chargesDeadLetters: logicalIdOf(prod.stack, prod.stack.queues.chargesDeadLetters),
    runDeadLetters: logicalIdOf(prod.stack, prod.stack.queues.runDeadLetters),
  });

  it('invokes the selector on the stage schedule with the scheduled time, retries and a dead-letter queue', () => {
    prod.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: arnOf(ids().selector),
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
        DeadLetterConfig: { Arn: arnOf(ids().runDeadLetters) },
        RoleArn: Match.anyValue(),
      },
    });
  });

  it('lets the scheduler role, assumable by this account only, invoke the selector and park failed runs', () => {
    // Prepare
    const policyId = logicalIdOf(prod.stack, prod.stack.recurring.schedulerPolicy);

    // Act
    const policy = prod.template.toJSON().Resources[policyId].Properties;

    // Assess
    expect(policy.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(ids().selector) },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(ids().runDeadLetters) },
    ]);
    const roleId = (policy.Roles as { Ref: string }[])[0]?.Ref as string;
    expect(prod.template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('parks a charge message after 5 receives, and hides it for six worker timeouts while charging', () => {
    prod.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * 120,
      RedrivePolicy: { deadLetterTargetArn: arnOf(ids().chargesDeadLetters), maxReceiveCount: 5 },
    });
  });

  it('encrypts every queue and refuses requests without TLS', () => {
    // Act
    const queues = [ids().charges, ids().chargesDeadLetters, ids().runDeadLetters];

    // Assess
    prod.template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    for (const queue of queues) {
      prod.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
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
    }
  });

  it('feeds the worker batches of 10, reporting item failures, within the stage concurrency', () => {
    prod.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(ids().charges),
      FunctionName: { Ref: ids().worker },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('tells the selector where to send', () => {
    prod.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RECURRING_QUEUE_URL: { Ref: ids().charges } }) },
    });
  });
});
