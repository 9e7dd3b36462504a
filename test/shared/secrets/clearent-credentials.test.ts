import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  CredentialsUnavailableError,
  clearentSecretName,
  readClearentCredentials,
} from '../../../shared/secrets/clearent-credentials';
import { useLocalSecrets } from '../../support/local-secrets';

const secrets = useLocalSecrets();

const name = (storefrontId: string) => clearentSecretName('/payments/test/storefronts/', storefrontId);

describe('Function: readClearentCredentials', () => {
  it('names secrets by stage prefix and storefront', () => {
    expect(name('acme')).toBe('/payments/test/storefronts/acme/clearent');
  });

  it('does not remember a failed read: the next request reads again and succeeds', async () => {
    // Prepare: the first read (a cold start) finds no secret.
    await expect(readClearentCredentials(name('late'))).rejects.toThrow(CredentialsUnavailableError);
    await secrets.admin().send(
      new CreateSecretCommand({
        Name: name('late'),
        SecretString: '{"apiKey":"clearent_test_key_not_secret"}',
      }),
    );

    // Act
    const credentials = await readClearentCredentials(name('late'));

    // Assess
    expect(credentials).toEqual({ apiKey: 'clearent_test_key_not_secret' });
  });

  it('reuses a read secret for a while instead of reading it on every request', async () => {
    await secrets
      .admin()
      .send(
        new CreateSecretCommand({ Name: name('cached'), SecretString: '{"apiKey":"first_key_not_secret"}' }),
      );
    await readClearentCredentials(name('cached'));
    await secrets
      .admin()
      .send(new PutSecretValueCommand({ SecretId: name('cached'), SecretString: '{"apiKey":"second_key"}' }));

    expect(await readClearentCredentials(name('cached'))).toEqual({ apiKey: 'first_key_not_secret' });
  });

  it('refuses a secret of the wrong shape without quoting its value', async () => {
    await secrets
      .admin()
      .send(new CreateSecretCommand({ Name: name('wrong'), SecretString: '{"key":"value_never_quoted"}' }));

    const failure = readClearentCredentials(name('wrong'));

    await expect(failure).rejects.toThrow(CredentialsUnavailableError);
    await expect(failure).rejects.not.toThrow(/value_never_quoted/);
  });
});
