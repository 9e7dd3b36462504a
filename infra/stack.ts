import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PaymentsAlarms } from './constructs/alarms';
import { PaymentsApi } from './constructs/api';
import { CursorSecret } from './constructs/cursor-secret';
import { PaymentsData } from './constructs/data';
import { storefrontSecretPrefix } from './constructs/environment';
import { PaymentsFunctions } from './constructs/functions';
import { PaymentsKeys } from './constructs/keys';
import { ReconciliationRuns } from './constructs/reconciliation';
import { RecurringQueues, RecurringRuns } from './constructs/recurring';
import { WebhookQueues, WebhookRuns } from './constructs/webhooks';
import { applyNagSuppressions } from './nag-suppressions';
import { type FunctionPermissions, functionPermissions } from './permissions';
import type { FunctionName } from './routes';
import type { StageSettings } from './stages';

export interface PaymentsStackProps extends StackProps {
  stage: StageSettings;
  /** What each function may do; `functionPermissions` (infra/permissions.ts) unless a test varies it. */
  permissions?: Readonly<Record<FunctionName, FunctionPermissions>>;
}

/** The whole payments backend of one stage. */
export class PaymentsStack extends Stack {
  readonly keys: PaymentsKeys;
  readonly data: PaymentsData;
  readonly queues: RecurringQueues;
  readonly webhookQueues: WebhookQueues;
  readonly cursorSecret: CursorSecret;
  readonly functions: PaymentsFunctions;
  readonly api: PaymentsApi;
  readonly recurring: RecurringRuns;
  readonly reconciliation: ReconciliationRuns;
  readonly webhooks: WebhookRuns;
  readonly alarms: PaymentsAlarms;

  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.keys = new PaymentsKeys(this, 'Keys', stage);
    this.data = new PaymentsData(this, 'Data', { stage, key: this.keys.table });
    this.queues = new RecurringQueues(this, 'RecurringQueues');
    this.webhookQueues = new WebhookQueues(this, 'WebhookQueues');
    this.cursorSecret = new CursorSecret(this, 'CursorSecret', { stage, key: this.keys.cursorSecret });
    this.functions = new PaymentsFunctions(this, 'Functions', {
      stage,
      permissions: props.permissions ?? functionPermissions,
      logsKey: this.keys.logs,
      targets: {
        data: this.data,
        tableKey: this.keys.table,
        storefrontSecretsKey: this.keys.storefrontSecrets,
        storefrontSecretPrefix: storefrontSecretPrefix(stage),
        recurringQueue: this.queues.charges,
        webhookQueue: this.webhookQueues.deliveries,
        relayFailures: this.webhookQueues.relayFailures,
        cursorSecret: this.cursorSecret.secret,
        cursorSecretKey: this.keys.cursorSecret,
      },
    });
    this.api = new PaymentsApi(this, 'Api', { stage, functions: this.functions, logsKey: this.keys.logs });
    this.recurring = new RecurringRuns(this, 'RecurringRuns', {
      stage,
      queues: this.queues,
      selector: this.functions.get('recurring-selector'),
      worker: this.functions.get('recurring-worker'),
    });
    this.reconciliation = new ReconciliationRuns(this, 'ReconciliationRuns', {
      stage,
      fn: this.functions.get('reconciliation'),
    });
    this.webhooks = new WebhookRuns(this, 'WebhookRuns', {
      stage,
      table: this.data.table,
      queues: this.webhookQueues,
      relay: this.functions.get('events-relay'),
      sweep: this.functions.get('webhook-sweep'),
      delivery: this.functions.get('webhook-delivery'),
    });
    this.alarms = new PaymentsAlarms(this, 'Alarms', {
      stage,
      key: this.keys.alarms,
      api: this.api,
      functions: this.functions,
      queues: this.queues,
      reconciliationDeadLetters: this.reconciliation.runDeadLetters,
      webhookQueues: this.webhookQueues,
      webhookSweepDeadLetters: this.webhooks.sweep.runDeadLetters,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.defaultStage.url });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'StorefrontSecretPrefix', {
      value: storefrontSecretPrefix(stage),
      description: 'A storefront Clearent secret is named <prefix><storefrontId>/clearent',
    });
    new CfnOutput(this, 'StorefrontSecretsKeyArn', { value: this.keys.storefrontSecrets.keyArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    applyNagSuppressions(this, stage);
  }
}

/** App context making CDK's CloudFormation schema findings fail synthesis instead of warning. */
export const strictValidationContext = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
} as const;

/** The CloudFormation stack name of a stage, e.g. `Payments-prod`. */
export function stackName(stage: StageSettings): string {
  return `Payments-${stage.name}`;
}
