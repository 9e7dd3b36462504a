import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, type NagPack, PCIDSS321Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type StageName, stageNames } from '../../infra/stages';
import { type Synthesized, synthesize } from './synth';

/** Every finding a pack reports, as `rule at path` lines (errors and warnings alike). */
function findings(pack: NagPack, scope: IConstruct): string[] {
  return pack
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
      ),
    );
}

interface Acknowledgement {
  path: string;
  isResource: boolean;
  id: string;
  reason: string;
}

function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({
        path: construct.node.path,
        isResource: CfnResource.isCfnResource(construct),
        id,
        reason,
      })),
  );
}

describe('Function: applyNagSuppressions', () => {
  const stacks = new Map<StageName, Synthesized>();

  beforeAll(() => {
    for (const name of stageNames) stacks.set(name, synthesize(name));
  });

  it.each(stageNames)('leaves no AwsSolutions or PCI DSS 3.2.1 finding in %s', (name) => {
    // Prepare
    const { stack } = stacks.get(name) as Synthesized;

    // Act
    const reported = [
      ...findings(new AwsSolutionsChecks(), stack),
      ...findings(new PCIDSS321Checks(), stack),
    ];

    // Assess
    expect(reported).toEqual([]);
  });

  it('leaves no finding when the account is known, as when deploying', () => {
    // Prepare
    const { stack } = synthesize('prod', { environment: { CDK_DEFAULT_ACCOUNT: '123456789012' } });

    // Act
    const reported = [
      ...findings(new AwsSolutionsChecks(), stack),
      ...findings(new PCIDSS321Checks(), stack),
    ];

    // Assess
    expect(reported).toEqual([]);
  });

  it('acknowledges findings on single resources only, each with a reason a reviewer can read', () => {
    // Act
    const acknowledged = acknowledgements((stacks.get('prod') as Synthesized).stack);

    // Assess
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter((entry) => !entry.isResource)).toEqual([]);
    for (const entry of acknowledged) expect(entry.reason.length).toBeGreaterThan(100);
  });

  it('accepts only the known kinds of finding', () => {
    // Act
    const rules = new Set(
      acknowledgements((stacks.get('prod') as Synthesized).stack).map((entry) =>
        entry.id.replace(/^annotation::/i, '').replace(/\[.*\]$/, ''),
      ),
    );

    // Assess
    expect([...rules].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
      'PCI.DSS.321-LambdaInsideVPC',
    ]);
  });

  it("accepts no rotation but on the cursor secret, and no dead-letter queue but the schedulers' and the relay's", () => {
    // Prepare
    const { stack } = stacks.get('prod') as Synthesized;
    const acknowledged = acknowledgements(stack);
    const pathsOf = (rule: string): string[] =>
      acknowledged
        .filter((entry) => entry.id.replace(/^annotation::/i, '') === rule)
        .map((entry) => entry.path);

    // Act & Assess
    expect(pathsOf('AwsSolutions-SMG4')).toEqual([stack.cursorSecret.secret.node.defaultChild?.node.path]);
    expect(pathsOf('AwsSolutions-SQS3').sort()).toEqual(
      [
        stack.queues.runDeadLetters,
        stack.reconciliation.runDeadLetters,
        stack.webhooks.sweep.runDeadLetters,
        stack.webhookQueues.relayFailures,
      ]
        .map((queue) => queue.node.defaultChild?.node.path)
        .sort(),
    );
  });

  it('accepts the webhook secrets pattern only on the policies of the functions that use those secrets', () => {
    // Prepare
    const { stack } = stacks.get('prod') as Synthesized;

    // Act
    const paths = acknowledgements(stack)
      .filter((entry) => entry.id.includes('/webhooks/we_*'))
      .map((entry) => entry.path);

    // Assess
    expect(paths.sort()).toEqual(
      (['webhook-endpoints', 'webhook-delivery'] as const)
        .map((name) => stack.functions.policyOf(name).node.defaultChild?.node.path)
        .sort(),
    );
  });

  it('reports a finding that nobody acknowledged (the checks are live)', () => {
    // Prepare
    const stack = new Stack(new App(), 'Unreviewed');
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    // Act
    const reported = findings(new AwsSolutionsChecks(), stack);

    // Assess
    expect(reported).toEqual(
      expect.arrayContaining([
        'error AwsSolutions-SQS3 at Unreviewed/PlainQueue/Resource',
        'error AwsSolutions-SQS4 at Unreviewed/PlainQueue/Resource',
      ]),
    );
  });
});
