import { Match } from 'aws-cdk-lib/assertions';
import { type Synthesized, synthesize } from '../synth';

describe('Class: PaymentsKeys', () => {
  let dev: Synthesized;
  let prod: Synthesized;

  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  it('creates one rotating key per kind of data, aliased by stage', () => {
    // Act
    const aliases = Object.values(prod.template.findResources('AWS::KMS::Alias')).map(
      (alias) => alias.Properties.AliasName,
    );

    // Assess
    expect(aliases.sort()).toEqual([
      'alias/payments/prod/alarms',
      'alias/payments/prod/cursor-secret',
      'alias/payments/prod/logs',
      'alias/payments/prod/storefront-secrets',
      'alias/payments/prod/table',
    ]);
    prod.template.resourceCountIs('AWS::KMS::Key', 5);
    prod.template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('retains keys in prod and lets dev keys go after a short window', () => {
    prod.template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    dev.template.allResources('AWS::KMS::Key', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ PendingWindowInDays: 7 }),
    });
  });

  it('lets CloudWatch Logs use the logs key only for log groups of this account and region', () => {
    prod.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':logs:us-east-1:',
                      { Ref: 'AWS::AccountId' },
                      ':log-group:*',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of this account publish to the encrypted alarm topic', () => {
    prod.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });
});
