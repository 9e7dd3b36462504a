import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: CursorSecret', () => {
  let prod: Synthesized;

  beforeAll(() => {
    prod = synthesize('prod');
  });

  it('generates one long random cursor-signing secret per stage, encrypted with its own key', () => {
    // Prepare
    const id = logicalIdOf(prod.stack, prod.stack.cursorSecret.secret);
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(prod.stack, prod.stack.keys.cursorSecret), 'Arn'] };

    // Act
    const secret = prod.template.toJSON().Resources[id];

    // Assess
    prod.template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(secret).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: {
        Description: 'Payments prod: HMAC key signing list cursors',
        KmsKeyId: keyArn,
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      },
    });
    // Generated name: a deleted stack's secret in its recovery window never blocks re-creating the stack.
    expect(secret.Properties.Name).toBeUndefined();
    expect(prod.stack.keys.cursorSecret).not.toBe(prod.stack.keys.storefrontSecrets);
    prod.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('creates a secret in every stage, each its own', () => {
    synthesize('dev').template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: 'Payments dev: HMAC key signing list cursors',
    });
  });
});
