import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageSettings } from '../stages';
import type { PaymentsApi } from './api';
import { metricsNamespace, serviceName } from './environment';
import type { PaymentsFunctions } from './functions';
import type { RecurringQueues } from './recurring';

/** The custom metric the gateway client emits, once per failed call to Clearent (timeouts, 5xx, its 401). */
export const gatewayErrorsMetricName = 'GatewayErrors';

const period = Duration.minutes(5);

export interface PaymentsAlarmsProps {
  stage: StageSettings;
  key: kms.IKey;
  api: PaymentsApi;
  functions: PaymentsFunctions;
  queues: RecurringQueues;
}

/** Alarms on what needs a person: server errors, failing or throttled functions, gateway trouble, parked messages. */
export class PaymentsAlarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, { stage, key, api, functions, queues }: PaymentsAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `Payments ${stage.name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (stage.alarmEmail !== undefined) {
      this.topic.addSubscription(new EmailSubscription(stage.alarmEmail));
    }

    // 502/504 for gateway trouble are expected now and then; a handful in five minutes is not.
    this.alarm('Api5xx', api.httpApi.metricServerError({ period, statistic: 'Sum' }), 5);
    this.alarm(
      'GatewayErrors',
      new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName: gatewayErrorsMetricName,
        dimensionsMap: { service: serviceName(stage) },
        period,
        statistic: 'Sum',
      }),
      5,
    );
    for (const [name, fn] of functions.all()) {
      this.alarm(`${name}-Errors`, fn.metricErrors({ period, statistic: 'Sum' }), 1);
      this.alarm(`${name}-Throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), 1);
    }
    this.deadLetterAlarm('ChargesDeadLetters', queues.chargesDeadLetters);
    this.deadLetterAlarm('RunDeadLetters', queues.runDeadLetters);
  }

  private deadLetterAlarm(id: string, queue: sqs.IQueue): void {
    this.alarm(
      `${id}-Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
    );
  }

  /** Alarms when the metric reaches `threshold` in one period, and notifies the topic. */
  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
