import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StageSettings } from '../stages';

/**
 * The customer-managed KMS keys, one per kind of data so that a grant on one never reaches another.
 * All rotate yearly; the account keeps administrative control through the default key policy.
 */
export class PaymentsKeys extends Construct {
  /** Encrypts the DynamoDB table. */
  readonly table: kms.Key;
  /** Encrypts storefronts' Clearent credentials; the admin CLI creates secrets with this key. */
  readonly storefrontSecrets: kms.Key;
  /**
   * Encrypts the cursor-signing secret. Not the storefront-secrets key: the functions that list would
   * then hold Decrypt on the key of the Clearent credentials, which they never read.
   */
  readonly cursorSecret: kms.Key;
  /** Encrypts the functions' and the API's log groups. */
  readonly logs: kms.Key;
  /** Encrypts the alarm topic. */
  readonly alarms: kms.Key;

  constructor(scope: Construct, id: string, stage: StageSettings) {
    super(scope, id);
    const key = (keyId: string, purpose: string): kms.Key =>
      new kms.Key(this, keyId, {
        alias: `alias/payments/${stage.name}/${purpose}`,
        description: `Payments ${stage.name}: ${purpose}`,
        enableKeyRotation: true,
        removalPolicy: stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(stage.retainData ? 30 : 7),
      });
    this.table = key('TableKey', 'table');
    this.storefrontSecrets = key('StorefrontSecretsKey', 'storefront-secrets');
    this.cursorSecret = key('CursorSecretKey', 'cursor-secret');
    this.logs = key('LogsKey', 'logs');
    this.alarms = key('AlarmsKey', 'alarms');
    this.allowLogsService();
    this.allowAlarmPublishing();
  }

  /** CloudWatch Logs encrypts with the key itself, only for log groups of this account and region. */
  private allowLogsService(): void {
    const stack = Stack.of(this);
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** CloudWatch alarms publish to the encrypted topic; without this their notifications are dropped. */
  private allowAlarmPublishing(): void {
    this.alarms.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }
}
