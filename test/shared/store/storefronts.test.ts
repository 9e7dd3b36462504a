import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStorefrontRepository } from '../../../shared/store/storefronts';
import { bearerKey, generateApiKey, hashApiKey } from '../../../shared/storefronts/api-keys';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';

describe.each(engines)('Class: DynamoStorefrontRepository (%s)', (engine) => {
  let table: TestTable;
  let storefronts: DynamoStorefrontRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    storefronts = new DynamoStorefrontRepository(table.db, table.tableName);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  it('finds the storefront of a key, stores only its hash, and forgets it once revoked', async () => {
    await storefronts.create('sf_keys', 'Keys & Co');
    const apiKey = generateApiKey('test');
    const entry = await storefronts.addApiKey('sf_keys', apiKey);

    expect(await storefronts.findByApiKey(apiKey)).toBe('sf_keys');
    expect(await storefronts.findByApiKey(`${apiKey}x`)).toBeUndefined();
    const stored = JSON.stringify(await table.db.send(new ScanCommand({ TableName: table.tableName })));
    expect(stored).not.toContain(apiKey);
    expect(stored).toContain(hashApiKey(apiKey));

    expect(await storefronts.revokeApiKey('sf_keys', entry.keyId)).toBe(true);
    expect(await storefronts.findByApiKey(apiKey)).toBeUndefined();
    expect((await storefronts.listApiKeys('sf_keys'))[0]).toMatchObject({
      keyId: entry.keyId,
      revokedAt: expect.any(String),
    });
  });

  it('keeps several keys live at once, for rotation', async () => {
    await storefronts.create('sf_rotate', 'Rotate');
    const [oldKey, newKey] = [generateApiKey('test'), generateApiKey('test')];
    await storefronts.addApiKey('sf_rotate', oldKey);
    await storefronts.addApiKey('sf_rotate', newKey);

    expect(await storefronts.findByApiKey(oldKey)).toBe('sf_rotate');
    expect(await storefronts.findByApiKey(newKey)).toBe('sf_rotate');
  });

  it('creates a storefront once', async () => {
    expect(await storefronts.create('sf_once', 'One')).toBe(true);
    expect(await storefronts.create('sf_once', 'Two')).toBe(false);
    expect((await storefronts.get('sf_once'))?.name).toBe('One');
  });
});

describe('Function: bearerKey', () => {
  it.each([
    ['Bearer sk_test_abcdefgh', 'sk_test_abcdefgh'],
    [undefined, undefined],
    ['sk_test_abcdefgh', undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer short', undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(bearerKey(header)).toBe(expected);
  });

  it('generates distinct high-entropy keys', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey('live')));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^sk_live_[0-9A-Za-z]{43}$/);
  });
});
