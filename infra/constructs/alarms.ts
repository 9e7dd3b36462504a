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
import type { WebhookQueues } from './webhooks';

/** The custom metric the gateway client emits, once per failed call to Clearent (timeouts, 5xx, its 401). */
export const gatewayErrorsMetricName = 'GatewayErrors';

/**
 * The custom metric counting extra gateway approvals for one invoice that were voided or refunded
 * (docs/money-movement.md): each one was a second charge of a customer, which a person must know of.
 */
export const duplicateChargeReversedMetricName = 'duplicate_charge_reversed';

/** The custom metric each reconciliation run publishes: pending attempts past the window it could not resolve. */
export const pendingPastWindowMetricName = 'PendingPastWindow';

/**
 * The custom metric the delivery function emits on each failed attempt to an endpoint that has failed
 * for an hour or more (shared/webhooks/deliver.ts): a storefront is not receiving its events.
 */
export const webhookEndpointFailingMetricName = 'WebhookEndpointFailing';

/**
 * The custom metric counting deliveries given up after the last retry: the storefront never got that
 * event by webhook (it is still in `GET /v1/events`).
 */
export const webhooksFailedMetricName = 'WebhooksFailed';

/** Runs in a row that must leave attempts unresolved before a person is called (15 min by default). */
export const pendingPastWindowPeriods = 3;

const period = Duration.minutes(5);

export interface PaymentsAlarmsProps {
  stage: StageSettings;
  key: kms.IKey;
  api: PaymentsApi;
  functions: PaymentsFunctions;
  queues: RecurringQueues;
  reconciliationDeadLetters: sqs.IQueue;
  webhookQueues: WebhookQueues;
  webhookSweepDeadLetters: sqs.IQueue;
}

/**
 * Alarms on what needs a person: server errors, failing or throttled functions, gateway trouble, parked
 * messages, reversed duplicate charges, pending attempts reconciliation cannot resolve, and webhooks
 * that do not reach their storefront.
 */
export class PaymentsAlarms extends Construct {
  readonly topic: sns.Topic;

  constructor(
    scope: Construct,
    id: string,
    {
      stage,
      key,
      api,
      functions,
      queues,
      reconciliationDeadLetters,
      webhookQueues,
      webhookSweepDeadLetters,
    }: PaymentsAlarmsProps,
  ) {
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
    const custom = (metricName: string, statistic: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: serviceName(stage) },
        period,
        statistic,
      });
    this.alarm('GatewayErrors', custom(gatewayErrorsMetricName, 'Sum'), 5);
    this.alarm('DuplicateChargeReversed', custom(duplicateChargeReversedMetricName, 'Sum'), 1);
    // A count per run, not events: the largest in a period; one bad run may be a gateway hiccup.
    this.alarm(
      'PendingPastWindow',
      custom(pendingPastWindowMetricName, 'Maximum'),
      1,
      pendingPastWindowPeriods,
    );
    this.alarm('WebhookEndpointFailing', custom(webhookEndpointFailingMetricName, 'Sum'), 1);
    this.alarm('WebhooksFailed', custom(webhooksFailedMetricName, 'Sum'), 1);
    for (const [name, fn] of functions.all()) {
      this.alarm(`${name}-Errors`, fn.metricErrors({ period, statistic: 'Sum' }), 1);
      this.alarm(`${name}-Throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), 1);
    }
    this.deadLetterAlarm('ChargesDeadLetters', queues.chargesDeadLetters);
    this.deadLetterAlarm('RunDeadLetters', queues.runDeadLetters);
    this.deadLetterAlarm('ReconciliationRunDeadLetters', reconciliationDeadLetters);
    this.deadLetterAlarm('WebhookDeliveriesDeadLetters', webhookQueues.deliveriesDeadLetters);
    this.deadLetterAlarm('EventsRelayFailures', webhookQueues.relayFailures);
    this.deadLetterAlarm('WebhookSweepRunDeadLetters', webhookSweepDeadLetters);
  }

  private deadLetterAlarm(id: string, queue: sqs.IQueue): void {
    this.alarm(
      `${id}-Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
    );
  }

  /** Alarms when the metric reaches `threshold` in `periods` periods in a row, and notifies the topic. */
  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, periods = 1): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      // Without datapointsToAlarm, CloudWatch wants every one of the periods breaching: in a row.
      evaluationPeriods: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
