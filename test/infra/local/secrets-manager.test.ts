import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { type LocalSecretsManager, startLocalSecretsManager } from '../../../infra/local/secrets-manager';
import { readSecretString } from '../../../shared/secrets/secret-reader';

const secretName = '/payments/test/storefronts/demo/clearent';
const credentials = JSON.stringify({
  apiKey: 'test_api_key_not_secret',
  publicKey: 'test_public_key_not_secret',
});

function clientFor(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region: localRegion, credentials: localCredentials });
}

describe('Function: startLocalSecretsManager', () => {
  let secrets: LocalSecretsManager;
  let client: SecretsManagerClient;

  beforeEach(async () => {
    secrets = await startLocalSecretsManager();
    client = clientFor(secrets.endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await secrets.close();
  });

  it('stores a secret and returns it to the real SDK as the current version', async () => {
    // Prepare
    const created = await client.send(
      new CreateSecretCommand({ Name: secretName, SecretString: credentials }),
    );

    // Act
    const read = await client.send(new GetSecretValueCommand({ SecretId: secretName }));

    // Assess
    expect(read.SecretString).toBe(credentials);
    expect(read.Name).toBe(secretName);
    expect(read.VersionId).toBe(created.VersionId);
    expect(read.VersionStages).toEqual(['AWSCURRENT']);
    expect(read.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:\/payments\/test\/.+-\w{6}$/,
    );
    expect(read.CreatedDate).toBeInstanceOf(Date);
  });

  it('finds a secret by its ARN as well as by its name', async () => {
    // Prepare
    const { ARN } = await client.send(
      new CreateSecretCommand({ Name: secretName, SecretString: credentials }),
    );

    // Act
    const read = await client.send(new GetSecretValueCommand({ SecretId: ARN }));

    // Assess
    expect(read.SecretString).toBe(credentials);
  });

  it('answers ResourceNotFoundException, in the real shape, for a secret that does not exist', async () => {
    // Act
    const reading = client.send(
      new GetSecretValueCommand({ SecretId: '/payments/test/storefronts/nobody/clearent' }),
    );

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(reading).rejects.toThrow("Secrets Manager can't find the specified secret.");
  });

  it('refuses to create a secret twice', async () => {
    // Prepare
    await client.send(new CreateSecretCommand({ Name: secretName, SecretString: credentials }));

    // Act
    const creating = client.send(new CreateSecretCommand({ Name: secretName, SecretString: '{}' }));

    // Assess
    await expect(creating).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('makes a put value current and keeps the former one as AWSPREVIOUS', async () => {
    // Prepare
    const first = await client.send(new CreateSecretCommand({ Name: secretName, SecretString: credentials }));
    const rotated = JSON.stringify({ apiKey: 'test_rotated_api_key_not_secret' });

    // Act
    const put = await client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: rotated }));

    // Assess
    const current = await client.send(new GetSecretValueCommand({ SecretId: secretName }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: secretName, VersionStage: 'AWSPREVIOUS' }),
    );
    expect(current.SecretString).toBe(rotated);
    expect(current.VersionId).toBe(put.VersionId);
    expect(previous.SecretString).toBe(credentials);
    expect(previous.VersionId).toBe(first.VersionId);
    const described = await client.send(new DescribeSecretCommand({ SecretId: secretName }));
    expect(described.VersionIdsToStages).toEqual({
      [String(first.VersionId)]: ['AWSPREVIOUS'],
      [String(put.VersionId)]: ['AWSCURRENT'],
    });
  });

  it('lists secrets by name prefix, page by page', async () => {
    // Prepare
    for (const storefrontId of ['alpha', 'beta', 'gamma']) {
      await client.send(
        new CreateSecretCommand({
          Name: `/payments/test/storefronts/${storefrontId}/clearent`,
          SecretString: '{}',
        }),
      );
    }
    await client.send(new CreateSecretCommand({ Name: '/other/secret', SecretString: '{}' }));
    const filter = { Filters: [{ Key: 'name' as const, Values: ['/payments/test/'] }] };

    // Act
    const firstPage = await client.send(new ListSecretsCommand({ ...filter, MaxResults: 2 }));
    const secondPage = await client.send(
      new ListSecretsCommand({ ...filter, MaxResults: 2, NextToken: firstPage.NextToken }),
    );

    // Assess
    expect(firstPage.SecretList?.map((s) => s.Name)).toEqual([
      '/payments/test/storefronts/alpha/clearent',
      '/payments/test/storefronts/beta/clearent',
    ]);
    expect(secondPage.SecretList?.map((s) => s.Name)).toEqual(['/payments/test/storefronts/gamma/clearent']);
    expect(secondPage.NextToken).toBeUndefined();
  });

  it('answers UnknownOperationException for an operation it does not implement', async () => {
    // Act
    const response = await fetch(secrets.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'secretsmanager.RotateSecret',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('Function: startLocalSecretsManager, kept in a file', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-secrets-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps secrets across a restart in a file only its owner can read', async () => {
    // Prepare
    const file = join(dataDir, 'secrets.json');
    const first = await startLocalSecretsManager({ file });
    const writer = clientFor(first.endpoint);
    await writer.send(new CreateSecretCommand({ Name: secretName, SecretString: credentials }));
    writer.destroy();
    await first.close();

    // Act
    const second = await startLocalSecretsManager({ file });
    const reader = clientFor(second.endpoint);
    const read = await reader.send(new GetSecretValueCommand({ SecretId: secretName }));
    reader.destroy();
    await second.close();

    // Assess
    expect(read.SecretString).toBe(credentials);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("Function: readSecretString (the functions' reader) against the stand-in", () => {
  let secrets: LocalSecretsManager;
  const previousEndpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;

  beforeAll(async () => {
    secrets = await startLocalSecretsManager();
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
  });

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = previousEndpoint;
    await secrets.close();
  });

  it('reads a storefront credentials secret through AWS_ENDPOINT_URL_SECRETS_MANAGER, as a handler does', async () => {
    // Prepare
    const client = clientFor(secrets.endpoint);
    await client.send(new CreateSecretCommand({ Name: secretName, SecretString: credentials }));
    client.destroy();

    // Act
    const value = await readSecretString(secretName, { maxAgeSeconds: 60, refresh: true });

    // Assess
    expect(JSON.parse(value)).toEqual({
      apiKey: 'test_api_key_not_secret',
      publicKey: 'test_public_key_not_secret',
    });
  });
});
