import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundlingOptions } from '../bundling';
import type { FunctionPermissions } from '../permissions';
import { type FunctionName, functionNames } from '../routes';
import type { StageSettings } from '../stages';
import { functionTimeoutSeconds } from '../timeouts';
import { functionEnvironment } from './environment';
import { functionPolicyStatements, type PermissionTargets } from './function-policy';

const repositoryRoot = path.resolve(__dirname, '..', '..');

function reservedConcurrency(name: FunctionName, stage: StageSettings): number {
  const reserved = stage.reservedConcurrency;
  switch (name) {
    case 'authorizer':
      return reserved.authorizer;
    case 'recurring-selector':
      return reserved.recurringSelector;
    case 'recurring-worker':
      return reserved.recurringWorker;
    case 'reconciliation':
      return reserved.reconciliation;
    case 'events-relay':
      return reserved.eventsRelay;
    case 'webhook-sweep':
      return reserved.webhookSweep;
    case 'webhook-delivery':
      return reserved.webhookDelivery;
    default:
      return reserved.api;
  }
}

export interface PaymentsFunctionsProps {
  stage: StageSettings;
  permissions: Readonly<Record<FunctionName, FunctionPermissions>>;
  logsKey: kms.IKey;
  targets: PermissionTargets;
}

/** One function per folder under `functions/`, each with its own role, policy and encrypted log group. */
export class PaymentsFunctions extends Construct {
  private readonly byName = new Map<FunctionName, nodejs.NodejsFunction>();
  private readonly policies = new Map<FunctionName, iam.ManagedPolicy>();

  constructor(
    scope: Construct,
    id: string,
    { stage, permissions, logsKey, targets }: PaymentsFunctionsProps,
  ) {
    super(scope, id);
    for (const name of functionNames) {
      const scopeOfFunction = new Construct(this, name);
      const logGroup = new logs.LogGroup(scopeOfFunction, 'Logs', {
        retention: stage.logRetention,
        encryptionKey: logsKey,
        removalPolicy: stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(scopeOfFunction, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Payments ${stage.name}: ${name} function`,
      });
      // A child of the role: the function depends on the role, hence on its policy, before it is created.
      const policy = new iam.ManagedPolicy(role, 'Permissions', {
        roles: [role],
        statements: functionPolicyStatements(this, permissions[name], logGroup, targets),
      });
      const fn = new nodejs.NodejsFunction(scopeOfFunction, 'Function', {
        description: `Payments ${stage.name}: ${name}`,
        entry: path.join(repositoryRoot, 'functions', name, 'handler.ts'),
        handler: 'handler',
        projectRoot: repositoryRoot,
        depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: stage.functionMemoryMb,
        // From the time budget (shared/time-budget.ts), as the lock in its environment.
        timeout: Duration.seconds(functionTimeoutSeconds[name]),
        reservedConcurrentExecutions: reservedConcurrency(name, stage),
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        role: role.withoutPolicyUpdates(),
        environment: functionEnvironment(
          name,
          stage,
          {
            tableName: targets.data.table.tableName,
            recurringQueueUrl: targets.recurringQueue.queueUrl,
            webhookQueueUrl: targets.webhookQueue.queueUrl,
            cursorSecretName: targets.cursorSecret.secretArn,
          },
          permissions[name],
        ),
        bundling: bundlingOptions,
      });
      this.byName.set(name, fn);
      this.policies.set(name, policy);
    }
  }

  /** The function deployed from `functions/<name>/handler.ts`. */
  get(name: FunctionName): nodejs.NodejsFunction {
    const fn = this.byName.get(name);
    if (fn === undefined) throw new Error(`no function named ${name}`);
    return fn;
  }

  /** The customer-managed policy holding everything the function may do. */
  policyOf(name: FunctionName): iam.ManagedPolicy {
    const policy = this.policies.get(name);
    if (policy === undefined) throw new Error(`no function named ${name}`);
    return policy;
  }

  /** Every function, with its name. */
  all(): Array<[FunctionName, nodejs.NodejsFunction]> {
    return [...this.byName.entries()];
  }
}
