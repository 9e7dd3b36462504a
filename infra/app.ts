/**
 * The CDK app: one stack per stage, chosen with `-c stage=dev|staging|prod` (default `dev`).
 * Synthesis needs no AWS account: `AWS_EC2_METADATA_DISABLED=true npx cdk synth -c stage=prod --quiet`.
 * cdk-nag (AwsSolutions, PCI DSS 3.2.1) runs on every synth: an unacknowledged finding fails
 * `cdk synth` and `cdk deploy`.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, PCIDSS321Checks } from 'cdk-nag';
import { PaymentsStack, stackName, strictValidationContext } from './stack';
import { stageSettings } from './stages';

const app = new App({ context: strictValidationContext });
const requested: unknown = app.node.tryGetContext('stage') ?? 'dev';
const stage = stageSettings(String(requested));

new PaymentsStack(app, stackName(stage), {
  stage,
  env: stage.env,
  description: `Payments backend between storefronts and the Clearent gateway (${stage.name})`,
  tags: { project: 'clearent-payments', stage: stage.name },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new PCIDSS321Checks(app));
