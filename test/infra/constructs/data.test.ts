import { Match } from 'aws-cdk-lib/assertions';
import { tableIndexes } from '../../../shared/store/table';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: PaymentsData', () => {
  let dev: Synthesized;
  let prod: Synthesized;

  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  it('keys the table by pk/sk, billed per request, with every index of shared/store/table.ts', () => {
    // Act & Assess
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: tableIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });

  it('declares every key attribute as a string', () => {
    // Act
    const table = prod.template.toJSON().Resources[logicalIdOf(prod.stack, prod.stack.data.table)];
    const types = (table.Properties.AttributeDefinitions as { AttributeType: string }[]).map(
      (attribute) => attribute.AttributeType,
    );

    // Assess
    expect(types).toHaveLength(2 + 2 * tableIndexes.length);
    expect(new Set(types)).toEqual(new Set(['S']));
  });

  it('encrypts with the customer-managed table key, keeps point-in-time recovery and expires by expiresAt', () => {
    for (const { stack, template } of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, stack.keys.table), 'Arn'] },
        },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    }
  });

  it('protects and retains the table in prod only', () => {
    // Act & Assess
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});
