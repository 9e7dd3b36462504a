import { Match } from 'aws-cdk-lib/assertions';
import { rateSeconds } from '../../../infra/constructs/reconciliation';
import { outboxWorkPrefix } from '../../../infra/constructs/webhooks';
import type { FunctionName } from '../../../infra/routes';
import { OUTBOX_SHARDS, outboxPartition } from '../../../shared/events/outbox';
import { keys } from '../../../shared/store/keys';
import { WEBHOOK_SHARDS } from '../../../shared/store/webhook-deliveries';
import { idempotencyLockMsFor } from '../../../shared/time-budget';
import { ATTEMPT_LEASE_MS } from '../../../shared/webhooks/deliver';
import { WEBHOOK_TIMEOUT_MS } from '../../../shared/webhooks/post';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: WebhookQueues and WebhookRuns', () => {
  let prod: Synthesized;
  const arnOf = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

  beforeAll(() => {
    prod = synthesize('prod');
  });

  const resource = (logicalId: string) => prod.template.toJSON().Resources[logicalId];
  const fnId = (name: FunctionName): string => logicalIdOf(prod.stack, prod.stack.functions.get(name));
  const functionProperties = (name: FunctionName) => resource(fnId(name)).Properties;
  const ids = () => ({
    table: logicalIdOf(prod.stack, prod.stack.data.table),
    deliveries: logicalIdOf(prod.stack, prod.stack.webhookQueues.deliveries),
    deliveriesDeadLetters: logicalIdOf(prod.stack, prod.stack.webhookQueues.deliveriesDeadLetters),
    relayFailures: logicalIdOf(prod.stack, prod.stack.webhookQueues.relayFailures),
    sweepDeadLetters: logicalIdOf(prod.stack, prod.stack.webhooks.sweep.runDeadLetters),
    sweepSchedule: logicalIdOf(prod.stack, prod.stack.webhooks.sweep.schedule),
    sweepPolicy: logicalIdOf(prod.stack, prod.stack.webhooks.sweep.schedulerPolicy),
  });
  const mappingsOf = (name: FunctionName) =>
    Object.values(prod.template.findResources('AWS::Lambda::EventSourceMapping'))
      .map((mapping) => mapping.Properties)
      .filter(
        (properties) => JSON.stringify(properties.FunctionName) === JSON.stringify({ Ref: fnId(name) }),
      );

  describe('the events relay', () => {
    it("streams the table's new images", () => {
      expect(resource(ids().table).Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    });

    it('reads the stream from its end, 25 items at a time, bisecting and reporting failed items, then parking them', () => {
      // Act
      const mappings = mappingsOf('events-relay');

      // Assess
      expect(mappings).toHaveLength(1);
      expect(mappings[0]).toEqual({
        EventSourceArn: { 'Fn::GetAtt': [ids().table, 'StreamArn'] },
        FunctionName: { Ref: fnId('events-relay') },
        StartingPosition: 'LATEST',
        BatchSize: 25,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 600,
        DestinationConfig: { OnFailure: { Destination: arnOf(ids().relayFailures) } },
        FilterCriteria: { Filters: [{ Pattern: expect.any(String) }] },
      });
    });

    it('is invoked only for items whose outbox holds events (workPk beginning OUTBOX#)', () => {
      // Act
      const [mapping] = mappingsOf('events-relay');
      const pattern = JSON.parse(mapping?.FilterCriteria.Filters[0].Pattern as string);

      // Assess
      expect(pattern).toEqual({ dynamodb: { NewImage: { workPk: { S: [{ prefix: 'OUTBOX#' }] } } } });
    });

    it("filters on the outbox's own partitions of the work index, not on waiting deliveries'", () => {
      for (let shard = 0; shard < OUTBOX_SHARDS; shard += 1) {
        expect(outboxPartition(shard).startsWith(outboxWorkPrefix)).toBe(true);
      }
      for (let shard = 0; shard < WEBHOOK_SHARDS; shard += 1) {
        expect(keys.webhookShard(shard).startsWith(outboxWorkPrefix)).toBe(false);
      }
    });

    it('parks failed batches 14 days in an encrypted queue that refuses requests without TLS', () => {
      expect(resource(ids().relayFailures).Properties).toEqual({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    });
  });

  describe('the delivery queue', () => {
    it('parks a delivery message after 5 receives, and hides it for six delivery timeouts while it is tried', () => {
      // Act
      const queue = resource(ids().deliveries).Properties;

      // Assess
      expect(queue).toEqual({
        VisibilityTimeout: 6 * functionProperties('webhook-delivery').Timeout,
        RedrivePolicy: { deadLetterTargetArn: arnOf(ids().deliveriesDeadLetters), maxReceiveCount: 5 },
        SqsManagedSseEnabled: true,
      });
      expect(resource(ids().deliveriesDeadLetters).Properties).toEqual({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    });

    it('encrypts every webhook queue and refuses requests without TLS', () => {
      for (const queue of [
        ids().deliveries,
        ids().deliveriesDeadLetters,
        ids().relayFailures,
        ids().sweepDeadLetters,
      ]) {
        expect(resource(queue).Properties.SqsManagedSseEnabled).toBe(true);
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

    it('feeds webhook-delivery batches of 10, reporting item failures, within the stage concurrency', () => {
      // Act
      const mappings = mappingsOf('webhook-delivery');

      // Assess
      expect(mappings).toEqual([
        {
          EventSourceArn: arnOf(ids().deliveries),
          FunctionName: { Ref: fnId('webhook-delivery') },
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 10 },
        },
      ]);
      expect(functionProperties('webhook-delivery').ReservedConcurrentExecutions).toBeGreaterThanOrEqual(10);
    });

    it('gives no other function an event source', () => {
      const sources = Object.values(prod.template.findResources('AWS::Lambda::EventSourceMapping')).map(
        (mapping) => mapping.Properties.FunctionName.Ref,
      );
      expect(sources.sort()).toEqual(
        [fnId('events-relay'), fnId('recurring-worker'), fnId('webhook-delivery')].sort(),
      );
    });
  });

  describe('the time an attempt may take, as deployed', () => {
    it('ends a delivery batch after its 15 s POSTs, and before the lease of its attempts runs out', () => {
      // Act
      const timeoutMs = (functionProperties('webhook-delivery').Timeout as number) * 1000;

      // Assess: a batch's attempts run in parallel, each one POST within WEBHOOK_TIMEOUT_MS
      expect(WEBHOOK_TIMEOUT_MS).toBe(15_000);
      expect(timeoutMs).toBeGreaterThan(WEBHOOK_TIMEOUT_MS);
      // An attempt still running when its lease ends would be claimed and sent again by the sweep.
      expect(ATTEMPT_LEASE_MS).toBeGreaterThan(timeoutMs);
    });
  });

  describe('the sweep', () => {
    it('runs every minute with the scheduled time, retries and a dead-letter queue, through its own role', () => {
      // Act
      const schedule = resource(ids().sweepSchedule);
      const policy = resource(ids().sweepPolicy).Properties;
      const roleId = (policy.Roles as { Ref: string }[])[0]?.Ref as string;

      // Assess
      expect(schedule.Properties).toEqual({
        Description: 'Payments prod: publish missed events and queue the webhook attempts that are due',
        ScheduleExpression: 'rate(1 minute)',
        ScheduleExpressionTimezone: 'Etc/UTC',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: arnOf(fnId('webhook-sweep')),
          Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: arnOf(ids().sweepDeadLetters) },
          RoleArn: arnOf(roleId),
        },
      });
      expect(policy.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(fnId('webhook-sweep')) },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(ids().sweepDeadLetters) },
      ]);
      expect(resource(roleId).Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
      expect(schedule.DependsOn).toEqual(expect.arrayContaining([ids().sweepPolicy]));
      const otherRoles = [
        prod.stack.recurring.schedulerPolicy,
        prod.stack.reconciliation.schedulerPolicy,
      ].map((other) => resource(logicalIdOf(prod.stack, other)).Properties.Roles[0].Ref);
      expect(otherRoles).not.toContain(roleId);
    });

    it('ends a sweep before the next one is due, one at a time', () => {
      // Act
      const interval = rateSeconds(resource(ids().sweepSchedule).Properties.ScheduleExpression);

      // Assess
      expect(interval).toBe(60);
      expect(functionProperties('webhook-sweep').Timeout).toBeLessThan(interval as number);
      expect(functionProperties('webhook-sweep').ReservedConcurrentExecutions).toBe(1);
    });

    it('takes the schedule from the stage settings, a run superseded after one interval', () => {
      // Act
      const { stack, template } = synthesize('dev', {
        overrides: { webhookSweepSchedule: 'rate(2 minutes)' },
      });

      // Assess
      expect(
        template.toJSON().Resources[logicalIdOf(stack, stack.webhooks.sweep.schedule)].Properties,
      ).toMatchObject({
        ScheduleExpression: 'rate(2 minutes)',
        Target: { RetryPolicy: { MaximumEventAgeInSeconds: 120 } },
      });
    });
  });

  describe('the environment of the webhook functions', () => {
    const variablesOf = (synthesized: Synthesized, name: FunctionName): Record<string, unknown> => {
      const id = logicalIdOf(synthesized.stack, synthesized.stack.functions.get(name));
      return synthesized.template.toJSON().Resources[id].Properties.Environment.Variables;
    };

    it.each(['events-relay', 'webhook-sweep', 'webhook-delivery'] as const)(
      'tells %s the queue and the contract retry schedule',
      (name) => {
        expect(variablesOf(prod, name)).toMatchObject({
          WEBHOOK_QUEUE_URL: { Ref: ids().deliveries },
          WEBHOOK_RETRY_SCHEDULE: '5s,5m,30m,2h,5h,10h,14h,20h,24h',
          CLEARENT_SECRET_PREFIX: '/payments/prod/storefronts/',
        });
      },
    );

    it('takes the retry schedule from the stage settings, and refuses one config would refuse', () => {
      // Act
      const shorter = synthesize('dev', { overrides: { webhookRetrySchedule: '5s,1m' } });

      // Assess
      expect(variablesOf(shorter, 'webhook-delivery').WEBHOOK_RETRY_SCHEDULE).toBe('5s,1m');
      expect(() => synthesize('dev', { overrides: { webhookRetrySchedule: '5s,soon' } })).toThrow(
        'stage dev: webhookRetrySchedule: "soon" is not a delay like 5s, 30m or 2h',
      );
    });

    it('tells the API functions only what they read: the secret prefix, and the cursor secret to events', () => {
      // Act
      const endpoints = variablesOf(prod, 'webhook-endpoints');
      const events = variablesOf(prod, 'events');

      // Assess
      expect(endpoints).toMatchObject({
        CLEARENT_SECRET_PREFIX: '/payments/prod/storefronts/',
        IDEMPOTENCY_TTL_HOURS: '24',
        IDEMPOTENCY_LOCK_MS: String(idempotencyLockMsFor(functionProperties('webhook-endpoints').Timeout)),
      });
      expect(endpoints.CURSOR_SECRET_NAME).toBeUndefined();
      expect(endpoints.WEBHOOK_QUEUE_URL).toBeUndefined();
      expect(events.CURSOR_SECRET_NAME).toEqual({
        Ref: logicalIdOf(prod.stack, prod.stack.cursorSecret.secret),
      });
    });
  });
});
