import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { readSecretString, SecretNotTextError } from '../../../shared/secrets/secret-reader';
import { useLocalSecrets } from '../../support/local-secrets';

const secrets = useLocalSecrets();

afterEach(() => jest.useRealTimers());

describe('Function: readSecretString', () => {
  it('keeps a value for maxAgeSeconds, then reads it again', async () => {
    // Prepare
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'queueMicrotask'] });
    await secrets.admin().send(new CreateSecretCommand({ Name: 'reader/aged', SecretString: 'first' }));
    expect(await readSecretString('reader/aged', { maxAgeSeconds: 60 })).toBe('first');
    await secrets
      .admin()
      .send(new PutSecretValueCommand({ SecretId: 'reader/aged', SecretString: 'second' }));

    // Act
    const within = await readSecretString('reader/aged', { maxAgeSeconds: 60 });
    jest.advanceTimersByTime(60_001);
    const after = await readSecretString('reader/aged', { maxAgeSeconds: 60 });

    // Assess
    expect([within, after]).toEqual(['first', 'second']);
  });

  it('reads past what it keeps when asked to refresh', async () => {
    // Prepare
    await secrets.admin().send(new CreateSecretCommand({ Name: 'reader/rotated', SecretString: 'old' }));
    await readSecretString('reader/rotated', { maxAgeSeconds: 300 });
    await secrets
      .admin()
      .send(new PutSecretValueCommand({ SecretId: 'reader/rotated', SecretString: 'new' }));

    // Act
    const refreshed = await readSecretString('reader/rotated', { maxAgeSeconds: 300, refresh: true });
    const next = await readSecretString('reader/rotated', { maxAgeSeconds: 300 });

    // Assess
    expect([refreshed, next]).toEqual(['new', 'new']);
  });

  it('keeps no failure: the read after a missing secret is created finds it', async () => {
    await expect(readSecretString('reader/late', { maxAgeSeconds: 300 })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await secrets.admin().send(new CreateSecretCommand({ Name: 'reader/late', SecretString: 'here' }));

    await expect(readSecretString('reader/late', { maxAgeSeconds: 300 })).resolves.toBe('here');
  });

  it('refuses a binary secret, without its value in the error', async () => {
    await secrets.admin().send(
      new CreateSecretCommand({
        Name: 'reader/binary',
        SecretBinary: new TextEncoder().encode('bytes_not_text'),
      }),
    );

    const read = readSecretString('reader/binary', { maxAgeSeconds: 300 });

    await expect(read).rejects.toBeInstanceOf(SecretNotTextError);
    await expect(read).rejects.toThrow('secret reader/binary holds no text');
  });
});
