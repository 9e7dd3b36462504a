import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createStorefront, issueKey, revokeKey, setClearentCredentials } from '../../../infra/admin/commands';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { startLocalSecretsManager } from '../../../infra/local/secrets-manager';
import { DynamoStorefrontRepository } from '../../../shared/store/storefronts';
import { startTestTable, type TestTable } from '../../support/local-table';

let table: TestTable;
let secretsServer: Awaited<ReturnType<typeof startLocalSecretsManager>>;
let secrets: SecretsManagerClient;
let target: Parameters<typeof createStorefront>[0];

beforeAll(async () => {
  table = await startTestTable();
  secretsServer = await startLocalSecretsManager({});
  secrets = new SecretsManagerClient({
    endpoint: secretsServer.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  target = {
    storefronts: new DynamoStorefrontRepository(table.db, table.tableName),
    secrets,
    secretPrefix: '/payments/local/storefronts/',
    keyMode: 'test',
  };
});

afterAll(async () => {
  secrets.destroy();
  await secretsServer.close();
  await table.close();
});

describe('Module: admin commands', () => {
  it('creates a storefront with a first key that authenticates, and refuses to create it twice', async () => {
    const issued = await createStorefront(target, 'acme', 'Acme');

    expect(issued.apiKey).toMatch(/^sk_test_[0-9A-Za-z]{43}$/);
    expect(await target.storefronts.findByApiKey(issued.apiKey)).toBe('acme');
    await expect(createStorefront(target, 'acme', 'Acme again')).rejects.toThrow('already exists');
  });

  it('rotates: a second key works beside the first until the first is revoked', async () => {
    const first = await createStorefront(target, 'rotating', 'Rotating');
    const second = await issueKey(target, 'rotating');

    await revokeKey(target, 'rotating', first.keyId);

    expect(await target.storefronts.findByApiKey(first.apiKey)).toBeUndefined();
    expect(await target.storefronts.findByApiKey(second.apiKey)).toBe('rotating');
    await expect(revokeKey(target, 'rotating', 'key_unknown')).rejects.toThrow('has no key');
  });

  it('writes Clearent credentials to the storefront secret, creating it then versioning it', async () => {
    await createStorefront(target, 'shop', 'Shop');

    await setClearentCredentials(target, 'shop', { apiKey: 'first_clearent_key' });
    const name = await setClearentCredentials(target, 'shop', {
      apiKey: 'second_clearent_key',
      publicKey: 'pk',
    });

    expect(name).toBe('/payments/local/storefronts/shop/clearent');
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
    expect(JSON.parse(SecretString ?? '{}')).toEqual({ apiKey: 'second_clearent_key', publicKey: 'pk' });
  });

  it('refuses ids that could not be a key segment, and storefronts that do not exist', async () => {
    await expect(createStorefront(target, 'Bad#Id', 'x')).rejects.toThrow('storefront id must be');
    await expect(issueKey(target, 'ghost')).rejects.toThrow('no storefront ghost');
    await expect(setClearentCredentials(target, 'ghost', { apiKey: 'k' })).rejects.toThrow(
      'no storefront ghost',
    );
  });
});
