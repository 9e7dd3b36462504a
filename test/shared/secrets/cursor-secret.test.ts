import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../../shared/config';
import {
  CursorSecretUnavailableError,
  liveCursorCodec,
  readCursorCodec,
  readCursorSecret,
} from '../../../shared/secrets/cursor-secret';
import { createCursorCodec } from '../../../shared/store/cursor';
import { useLocalSecrets } from '../../support/local-secrets';

const secrets = useLocalSecrets();

afterEach(() => {
  delete process.env.CURSOR_SECRET_NAME;
});

/** Powertools caches by name for the whole file: each test uses names of its own. */
const name = (test: string) => `/payments/test/cursor-secret/${test}`;
const aSecret = 'cursor_secret_for_tests_not_a_real_one_0123456789';
const key = { gsi1pk: 'SF#shopA', gsi1sk: '2026-11-24T10:00:00.000Z#txn_1' };

describe('Function: readCursorSecret', () => {
  it('does not remember a failed read: the next list reads again and succeeds', async () => {
    // Prepare: the first read finds no secret.
    await expect(readCursorSecret(name('late'))).rejects.toThrow(CursorSecretUnavailableError);
    await secrets.admin().send(new CreateSecretCommand({ Name: name('late'), SecretString: aSecret }));

    // Act
    const secret = await readCursorSecret(name('late'));

    // Assess
    expect(secret).toBe(aSecret);
  });

  it('reuses a read secret for a while instead of reading it on every list', async () => {
    await secrets.admin().send(new CreateSecretCommand({ Name: name('cached'), SecretString: aSecret }));
    await readCursorSecret(name('cached'));
    await secrets
      .admin()
      .send(new PutSecretValueCommand({ SecretId: name('cached'), SecretString: `${aSecret}-rotated` }));

    expect(await readCursorSecret(name('cached'))).toBe(aSecret);
  });

  it('refuses a secret shorter than 32 characters without quoting its value', async () => {
    await secrets
      .admin()
      .send(new CreateSecretCommand({ Name: name('short'), SecretString: 'short_value_never_quoted' }));

    const failure = readCursorSecret(name('short'));

    await expect(failure).rejects.toThrow(CursorSecretUnavailableError);
    await expect(failure).rejects.not.toThrow(/short_value_never_quoted/);
  });

  it('refuses a binary secret', async () => {
    await secrets
      .admin()
      .send(new CreateSecretCommand({ Name: name('binary'), SecretBinary: Buffer.from(aSecret) }));

    await expect(readCursorSecret(name('binary'))).rejects.toThrow(CursorSecretUnavailableError);
  });
});

describe('Function: readCursorCodec', () => {
  it('signs with the secret: its cursors are those of any codec with the same secret', async () => {
    await secrets.admin().send(new CreateSecretCommand({ Name: name('codec'), SecretString: aSecret }));

    const codec = await readCursorCodec(name('codec'));

    expect(createCursorCodec(aSecret).decode(codec.encode(key) ?? '')).toEqual(key);
  });
});

describe('Function: liveCursorCodec', () => {
  it('reads the secret named by CURSOR_SECRET_NAME', async () => {
    await secrets.admin().send(new CreateSecretCommand({ Name: name('live'), SecretString: aSecret }));
    process.env.CURSOR_SECRET_NAME = name('live');

    const codec = await liveCursorCodec();

    expect(createCursorCodec(aSecret).decode(codec.encode(key) ?? '')).toEqual(key);
  });

  it('fails, naming the variable, when CURSOR_SECRET_NAME is not set', async () => {
    await expect(liveCursorCodec()).rejects.toThrow(
      new ConfigError('environment variable CURSOR_SECRET_NAME is not set'),
    );
  });
});
