/**
 * Every cdk-nag finding this stack accepts, each on the one resource it concerns, with the reason a
 * reviewer needs. Anything not listed here fails `cdk synth` and `test/infra/nag-suppressions.test.ts`.
 */
import { type CfnResource, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { storefrontSecretPrefix } from './constructs/environment';
import { storefrontSecretArnPattern } from './constructs/function-policy';
import { functionPermissions } from './permissions';
import type { PaymentsStack } from './stack';
import type { StageSettings } from './stages';

const reasons = {
  xrayResource:
    'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; "*" is the only ' +
    'valid resource. The statement carries no other action (asserted in test/infra/permissions.test.ts).',
  storefrontSecrets:
    'Storefronts are onboarded at run time by the admin CLI, so their secret names are not known at deploy ' +
    "time. The pattern is confined to this stage's Clearent secrets (/payments/<stage>/storefronts/<id>/clearent " +
    'plus the 6-character suffix Secrets Manager appends), read-only (GetSecretValue), and only functions ' +
    'that call the gateway hold it.',
  runtime:
    'Node.js 22 is the LTS line the code is built and tested for (esbuild target node22) and is supported ' +
    'by Lambda; moving to a newer runtime is a deliberate upgrade with its own test run, not a synth-time default.',
  outsideVpc:
    'The functions reach only AWS service endpoints (DynamoDB, Secrets Manager, SQS, CloudWatch, X-Ray) over ' +
    'TLS with IAM-signed requests, and the Clearent gateway over HTTPS on the internet. There are no private ' +
    'network resources to protect; a VPC would add NAT egress to the same internet without reducing exposure. ' +
    'Cardholder data never enters this system (cards arrive as Clearent one-time JWTs or token ids).',
  publicHealth:
    'GET /health is the unauthenticated liveness probe of the API contract; it reads nothing and returns no ' +
    'data, and stage throttling applies to it like every route.',
  runDeadLetters:
    "This queue is itself a dead-letter queue (EventBridge Scheduler's, for runs it could not deliver to the " +
    'selector); a dead-letter queue of a dead-letter queue would only move the same messages again.',
} as const;

function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/** The CloudFormation resource of an L2 construct: findings are acknowledged there and nowhere wider. */
function resourceOf(construct: IConstruct): CfnResource {
  const child = construct.node.defaultChild;
  if (child === undefined) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return child as CfnResource;
}

type Resolved = string | { Ref: string } | { 'Fn::Join': [string, Resolved[]] };

/** cdk-nag names a wildcard finding after the resource, intrinsic functions flattened like this. */
function flattenAsNag(value: Resolved): string {
  if (typeof value === 'string') return value;
  if ('Ref' in value) return `<${value.Ref}>`;
  const [separator, parts] = value['Fn::Join'];
  return parts.map(flattenAsNag).join(separator);
}

/** Applies every accepted finding of the stack to its resource. */
export function applyNagSuppressions(stack: PaymentsStack, stage: StageSettings): void {
  const secretPattern = flattenAsNag(
    stack.resolve(storefrontSecretArnPattern(stack, storefrontSecretPrefix(stage))),
  );
  for (const [name, fn] of stack.functions.all()) {
    const policy = resourceOf(stack.functions.policyOf(name));
    acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]', reasons.xrayResource);
    if (functionPermissions[name].gatewayCredentials) {
      acknowledge(policy, `AwsSolutions-IAM5[Resource::${secretPattern}]`, reasons.storefrontSecrets);
    }
    acknowledge(resourceOf(fn), 'AwsSolutions-L1', reasons.runtime);
    acknowledge(resourceOf(fn), 'PCI.DSS.321-LambdaInsideVPC', reasons.outsideVpc);
  }
  // Named, not derived from `authorized: false`: another public route must earn its own reason.
  const health = stack.api.routes.get('GET /health');
  if (health === undefined) throw new Error('no route GET /health');
  acknowledge(resourceOf(health), 'AwsSolutions-APIG4', reasons.publicHealth);
  acknowledge(resourceOf(stack.queues.runDeadLetters), 'AwsSolutions-SQS3', reasons.runDeadLetters);
}
