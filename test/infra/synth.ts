/**
 * Builds a stage's stack the way `infra/app.ts` does, for assertions. Bundling and CDK's built-in
 * CloudFormation schema validation are skipped unless asked for: they cost seconds, and change
 * nothing in the template but asset hashes.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { FunctionPermissions } from '../../infra/permissions';
import type { FunctionName } from '../../infra/routes';
import { PaymentsStack, stackName, strictValidationContext } from '../../infra/stack';
import { type StageName, type StageSettings, stageSettings } from '../../infra/stages';

export interface Synthesized {
  stage: StageSettings;
  stack: PaymentsStack;
  template: Template;
}

export interface SynthOptions {
  /** Run esbuild for real, writing assets under `outdir`. */
  bundle?: boolean;
  /** Validate the template against the CloudFormation schema, failing synthesis on any finding. */
  validate?: boolean;
  outdir?: string;
  /** The process environment `stageSettings` reads (account, region, alarm e-mail); empty by default. */
  environment?: Record<string, string>;
  /** Settings to change from the stage's own, to test a variant. */
  overrides?: Partial<StageSettings>;
  /** What each function may do, instead of `functionPermissions`, to test a variant. */
  permissions?: Readonly<Record<FunctionName, FunctionPermissions>>;
}

export function synthesize(name: StageName, options: SynthOptions = {}): Synthesized {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    builtinCloudFormationValidation: options.validate ?? false,
    context: {
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...(options.validate ? strictValidationContext : {}),
    },
  });
  const stage = { ...stageSettings(name, options.environment ?? {}), ...options.overrides };
  const stack = new PaymentsStack(app, stackName(stage), {
    stage,
    env: stage.env,
    ...(options.permissions === undefined ? {} : { permissions: options.permissions }),
  });
  return { stage, stack, template: Template.fromStack(stack) };
}

/** The logical id of a construct's CloudFormation resource, to match `Ref`/`Fn::GetAtt` in assertions. */
export function logicalIdOf(stack: PaymentsStack, construct: { node: { defaultChild?: unknown } }): string {
  const resource = construct.node.defaultChild;
  if (resource === undefined || resource === null)
    throw new Error('construct has no CloudFormation resource');
  return stack.getLogicalId(resource as Parameters<PaymentsStack['getLogicalId']>[0]);
}
