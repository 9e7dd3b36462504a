import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type FunctionPermissions,
  itemAccessOf,
  type QueueAccess,
  usesTable,
  writesTable,
} from '../permissions';
import type { PaymentsData } from './data';

/** The resources a function's permissions may name. */
export interface PermissionTargets {
  data: PaymentsData;
  tableKey: kms.IKey;
  storefrontSecretsKey: kms.IKey;
  /** e.g. `/payments/prod/storefronts/` */
  storefrontSecretPrefix: string;
  recurringQueue: sqs.IQueue;
  /** The queue of webhook delivery attempts. */
  webhookQueue: sqs.IQueue;
  /** Where the events relay's stream event source parks the batches it could not process. */
  relayFailures: sqs.IQueue;
  /** The stage's cursor-signing secret and the key encrypting it. */
  cursorSecret: secretsmanager.ISecret;
  cursorSecretKey: kms.IKey;
}

/**
 * ARN pattern of every storefront's Clearent secret in the stage. `??????` is the random suffix
 * Secrets Manager appends to a secret's ARN; `*` is the storefront id.
 */
export function storefrontSecretArnPattern(scope: Construct, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${prefix}*/clearent-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Name pattern of every webhook endpoint's signing secret in the stage, `${prefix}<storefrontId>/webhooks/we_<id>`
 * (shared/config.ts, `webhookSecretName`): `*` is the storefront id, then the endpoint id's random part.
 */
export function webhookSecretNamePattern(prefix: string): string {
  return `${prefix}*/webhooks/we_*`;
}

/**
 * ARN pattern of the same secrets. It ends in `*`, which also covers the 6-character suffix Secrets
 * Manager appends, so that it matches the ARN of a secret being created as well as one that exists.
 */
export function webhookSecretArnPattern(scope: Construct, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: webhookSecretNamePattern(prefix),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** KMS use restricted to calls the named AWS service makes on the function's behalf. */
function viaService(scope: Construct, service: string): Record<string, Record<string, string>> {
  return { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(scope).region}.amazonaws.com` } };
}

/**
 * One statement per item access, conditioned on the partition key where the access names one (a
 * `LeadingKeys` condition holds for every key the request touches: ForAllValues); `Query` only on
 * the table and indexes the function queries; the table key only through DynamoDB, and for encrypting
 * only when the function writes.
 */
function tableStatements(
  scope: Construct,
  permissions: FunctionPermissions,
  targets: PermissionTargets,
): iam.PolicyStatement[] {
  const statements = itemAccessOf(permissions).map(
    (access) =>
      new iam.PolicyStatement({
        actions: access.actions.map((action) => `dynamodb:${action}`),
        resources: [targets.data.table.tableArn],
        ...(access.partitionKeys === undefined
          ? {}
          : {
              conditions: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...access.partitionKeys] },
              },
            }),
      }),
  );
  if (permissions.queries.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: permissions.queries.map((target) => targets.data.queryArn(target)),
      }),
    );
  }
  if (usesTable(permissions)) {
    const keyActions = writesTable(permissions)
      ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
      : ['kms:Decrypt', 'kms:DescribeKey'];
    statements.push(
      new iam.PolicyStatement({
        actions: keyActions,
        resources: [targets.tableKey.keyArn],
        conditions: viaService(scope, 'dynamodb'),
      }),
    );
  }
  return statements;
}

function gatewayCredentialStatements(scope: Construct, targets: PermissionTargets): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [storefrontSecretArnPattern(scope, targets.storefrontSecretPrefix)],
    }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [targets.storefrontSecretsKey.keyArn],
      conditions: viaService(scope, 'secretsmanager'),
    }),
  ];
}

/** That one secret, read-only, and its key only through Secrets Manager. */
function cursorSecretStatements(scope: Construct, targets: PermissionTargets): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [targets.cursorSecret.secretArn],
    }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [targets.cursorSecretKey.keyArn],
      conditions: viaService(scope, 'secretsmanager'),
    }),
  ];
}

function queueStatements(access: QueueAccess | undefined, queue: sqs.IQueue): iam.PolicyStatement[] {
  switch (access) {
    case 'send':
      return [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] })];
    case 'consume':
      return [
        new iam.PolicyStatement({
          actions: [
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
          ],
          resources: [queue.queueArn],
        }),
      ];
    case undefined:
      return [];
  }
}

/**
 * The table's stream, read by the function's event source with the function's role (CDK's own grant
 * cannot reach the immutable role), and the queue where that event source parks failed batches. The
 * stream's records are decrypted with the table key through DynamoDB, which the table statements allow.
 */
function tableStreamStatements(targets: PermissionTargets): iam.PolicyStatement[] {
  const streamArn = targets.data.table.tableStreamArn;
  if (streamArn === undefined) throw new Error('the table has no stream for the events relay to read');
  return [
    new iam.PolicyStatement({
      actions: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      resources: [streamArn],
    }),
    new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.relayFailures.queueArn] }),
  ];
}

/**
 * Webhook signing secrets of the stage only. They are created without a key of ours, so Secrets Manager
 * encrypts them with its AWS managed key, which needs no grant here. Creating is also conditioned on
 * the name, so that whatever ARN a new secret is checked against, only a webhook secret can be made.
 */
function webhookSecretStatements(
  scope: Construct,
  access: 'read' | 'manage',
  targets: PermissionTargets,
): iam.PolicyStatement[] {
  const secrets = webhookSecretArnPattern(scope, targets.storefrontSecretPrefix);
  const read = new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] });
  if (access === 'read') return [read];
  return [
    new iam.PolicyStatement({
      actions: ['secretsmanager:CreateSecret'],
      resources: [secrets],
      conditions: {
        StringLike: { 'secretsmanager:Name': webhookSecretNamePattern(targets.storefrontSecretPrefix) },
      },
    }),
    read,
    new iam.PolicyStatement({ actions: ['secretsmanager:DeleteSecret'], resources: [secrets] }),
  ];
}

/**
 * Every statement a function's role holds: its own log group, X-Ray, and what `functionPermissions`
 * allows it. Nothing is added implicitly by CDK (the function gets an immutable view of its role).
 */
export function functionPolicyStatements(
  scope: Construct,
  permissions: FunctionPermissions,
  logGroup: logs.ILogGroup,
  targets: PermissionTargets,
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
    // X-Ray has no resource-level permissions: `*` is the only resource these actions accept.
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    }),
    ...tableStatements(scope, permissions, targets),
    ...(permissions.gatewayCredentials ? gatewayCredentialStatements(scope, targets) : []),
    ...queueStatements(permissions.recurringQueue, targets.recurringQueue),
    ...(permissions.cursorSecret === true ? cursorSecretStatements(scope, targets) : []),
    ...(permissions.webhookQueue ?? []).flatMap((access) => queueStatements(access, targets.webhookQueue)),
    ...(permissions.tableStream === true ? tableStreamStatements(targets) : []),
    ...(permissions.webhookSecrets === undefined
      ? []
      : webhookSecretStatements(scope, permissions.webhookSecrets, targets)),
  ];
}
