import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { localCursorSecretName } from '../../../infra/local/environment';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { startLocalSecretsManager } from '../../../infra/local/secrets-manager';
import { seedCursorSecret } from '../../../infra/local/seed';

/** Starts a stand-in on `file` (or in memory), seeds the cursor secret, and returns what it then holds. */
async function seededValue(file?: string, before?: string): Promise<string | undefined> {
  const secrets = await startLocalSecretsManager({ file });
  const client = new SecretsManagerClient({
    endpoint: secrets.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    if (before !== undefined) {
      await client.send(new CreateSecretCommand({ Name: localCursorSecretName, SecretString: before }));
    }
    await seedCursorSecret(secrets.endpoint, localCursorSecretName);
    const { SecretString } = await client.send(
      new GetSecretValueCommand({ SecretId: localCursorSecretName }),
    );
    return SecretString;
  } finally {
    client.destroy();
    await secrets.close();
  }
}

describe('Function: seedCursorSecret', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-seed-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates a random secret of at least 32 characters on the first start, a new one each time in memory', async () => {
    // Act
    const first = await seededValue();
    const second = await seededValue();

    // Assess
    expect(first?.length).toBeGreaterThanOrEqual(32);
    expect(second?.length).toBeGreaterThanOrEqual(32);
    expect(second).not.toBe(first);
  });

  it('keeps the secret of the data folder across a restart, so cursors handed out before still work', async () => {
    // Prepare
    const file = join(dataDir, 'secrets.json');

    // Act
    const first = await seededValue(file);
    const afterRestart = await seededValue(file);

    // Assess
    expect(afterRestart).toBe(first);
  });

  it('replaces a stored value too short to sign with', async () => {
    // Act
    const value = await seededValue(undefined, 'too-short');

    // Assess
    expect(value?.length).toBeGreaterThanOrEqual(32);
  });
});
