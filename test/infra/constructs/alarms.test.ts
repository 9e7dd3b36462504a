import { Match } from 'aws-cdk-lib/assertions';
import { webhookEndpointFailingMetricName, webhooksFailedMetricName } from '../../../infra/constructs/alarms';
import { functionNames } from '../../../infra/routes';
import { metrics, recordEndpointFailing, recordWebhookAttempt } from '../../../shared/observability/metrics';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

interface AlarmProperties {
  Namespace?: string;
  Statistic?: string;
  Period?: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  AlarmActions: unknown[];
  Threshold: number;
  ComparisonOperator: string;
}

describe('Class: PaymentsAlarms', () => {
  let prod: Synthesized;
  let alarms: AlarmProperties[];
  let topicRef: unknown;

  beforeAll(() => {
    prod = synthesize('prod', { environment: { PAYMENTS_ALARM_EMAIL: 'oncall@example.com' } });
    alarms = Object.values(prod.template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties as AlarmProperties,
    );
    topicRef = { Ref: logicalIdOf(prod.stack, prod.stack.alarms.topic) };
  });

  const alarmsOn = (namespace: string, metricName: string) =>
    alarms.filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metricName);

  it('notifies the alarm topic from every alarm', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topicRef]);
  });

  it('alarms on API 5xx answers', () => {
    // Act
    const [serverErrors] = alarmsOn('AWS/ApiGateway', '5xx');

    // Assess
    expect(serverErrors?.Dimensions).toEqual([
      { Name: 'ApiId', Value: { Ref: logicalIdOf(prod.stack, prod.stack.api.httpApi) } },
    ]);
  });

  it('alarms on errors and throttles of every function', () => {
    for (const metricName of ['Errors', 'Throttles']) {
      // Act
      const watched = alarmsOn('AWS/Lambda', metricName).map((alarm) => alarm.Dimensions?.[0]?.Value);

      // Assess
      expect(watched).toEqual(
        expect.arrayContaining(
          functionNames.map((name) => ({ Ref: logicalIdOf(prod.stack, prod.stack.functions.get(name)) })),
        ),
      );
      expect(watched).toHaveLength(functionNames.length);
    }
  });

  it('alarms on GatewayErrors in the functions namespace, by the stage service only', () => {
    // Act
    const gateway = alarmsOn('ClearentPayments', 'GatewayErrors');

    // Assess
    expect(gateway).toHaveLength(1);
    expect(gateway[0]?.Dimensions).toEqual([{ Name: 'service', Value: 'payments-prod' }]);
  });

  it('alarms as soon as any dead-letter queue holds a message', () => {
    // Prepare
    const deadLetters = [
      prod.stack.queues.chargesDeadLetters,
      prod.stack.queues.runDeadLetters,
      prod.stack.reconciliation.runDeadLetters,
      prod.stack.webhookQueues.deliveriesDeadLetters,
      prod.stack.webhookQueues.relayFailures,
      prod.stack.webhooks.sweep.runDeadLetters,
    ].map((queue) => ({
      'Fn::GetAtt': [logicalIdOf(prod.stack, queue), 'QueueName'],
    }));

    // Act
    const depth = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible');

    // Assess
    expect(depth.map((alarm) => alarm.Dimensions?.[0]?.Value)).toEqual(deadLetters);
    for (const alarm of depth) {
      expect([alarm.Threshold, alarm.ComparisonOperator]).toEqual([1, 'GreaterThanOrEqualToThreshold']);
    }
  });

  // duplicate_charge_reversed: the contract's name.
  it.each(['duplicate_charge_reversed', 'WebhookEndpointFailing', 'WebhooksFailed'])(
    'alarms on the first %s in the functions namespace, by the stage service',
    (metricName) => {
      // Act
      const failing = alarmsOn('ClearentPayments', metricName);

      // Assess
      expect(failing).toHaveLength(1);
      expect(failing[0]).toMatchObject({
        Dimensions: [{ Name: 'service', Value: 'payments-prod' }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    },
  );

  it('alarms on a metric name the webhook code emits', () => {
    // Prepare: what shared/observability/metrics.ts records
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    recordWebhookAttempt('failed');
    recordEndpointFailing();
    const emitted = addMetric.mock.calls.map(([name]) => name);
    addMetric.mockRestore();

    // Assess
    expect(emitted).toEqual([webhooksFailedMetricName, webhookEndpointFailingMetricName]);
  });

  it('alarms when reconciliation leaves attempts unresolved past the window three periods in a row', () => {
    // Act
    const unresolved = alarmsOn('ClearentPayments', 'PendingPastWindow');

    // Assess
    expect(unresolved).toHaveLength(1);
    expect(unresolved[0]).toMatchObject({
      Dimensions: [{ Name: 'service', Value: 'payments-prod' }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
    });
    // Unset, CloudWatch wants all three periods breaching: consecutive ones, not 1 of 3.
    expect(unresolved[0]?.DatapointsToAlarm ?? 3).toBe(3);
  });

  it('encrypts the topic with the alarms key, requires TLS, lets only this account alarms publish', () => {
    prod.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(prod.stack, prod.stack.keys.alarms), 'Arn'] },
    });
    prod.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('subscribes the stage alarm e-mail, and nobody when there is none', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: topicRef,
    });
    synthesize('dev').template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
