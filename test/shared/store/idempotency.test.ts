import type { IdempotencyRecord } from '../../../shared/payments/ports';
import { DynamoIdempotencyRepository } from '../../../shared/store/idempotency';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';

describe.each(engines)('Class: DynamoIdempotencyRepository (%s)', (engine) => {
  let table: TestTable;
  let now = 1_800_000_000_000;
  let repository: DynamoIdempotencyRepository;

  beforeAll(async () => {
    table = await startTestTable(engine);
    repository = new DynamoIdempotencyRepository(table.db, table.tableName, 24 * 3600, () => now);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());

  const record = (key: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
    storefrontId: 'sf_a',
    key,
    route: 'POST /v1/sales/jwt',
    requestHash: 'hash',
    resourceId: `txn_${key}`,
    state: 'locked',
    lockedUntil: now + 30_000,
    ...overrides,
  });

  it('lets one of twenty racing claims win and shows the others the winner', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => repository.claim(record('race', { resourceId: `txn_${i}` }))),
    );

    const winners = results.filter((result) => result === undefined);
    expect(winners).toHaveLength(1);
    const seen = new Set(results.filter(Boolean).map((existing) => existing?.resourceId));
    expect(seen.size).toBe(1);
  });

  it('scopes keys to the storefront', async () => {
    expect(await repository.claim(record('shared-key'))).toBeUndefined();
    expect(await repository.claim(record('shared-key', { storefrontId: 'sf_b' }))).toBeUndefined();
  });

  it('lets one attempt take over a released record, and refuses a stale view of it', async () => {
    const first = record('takeover');
    await repository.claim(first);
    await repository.release(first, true);
    const seen = { ...first, state: 'released' as const };

    expect(await repository.takeOver(seen, now + 60_000)).toBe(true);
    expect(await repository.takeOver(seen, now + 90_000)).toBe(false);
  });

  it('does not release a lock another attempt has taken over', async () => {
    const first = record('stolen', { lockedUntil: now - 1 });
    await repository.claim(first);
    await repository.takeOver(first, now + 30_000);

    await repository.release(first, true);

    const current = await repository.claim(record('stolen'));
    expect(current).toMatchObject({ state: 'locked', lockedUntil: now + 30_000 });
  });

  it('stores a completed answer and treats an expired record as absent', async () => {
    const done = record('done');
    await repository.claim(done);
    await repository.complete(done, { statusCode: 404, body: '{"error":{}}' });
    expect(await repository.claim(record('done'))).toMatchObject({ response: { statusCode: 404 } });

    now += 25 * 3600 * 1000;

    expect(await repository.claim(record('done'))).toBeUndefined();
  });

  it('never expires a key released while its transaction is pending, until its expiry is started', async () => {
    const pending = record('pending-key');
    await repository.claim(pending);
    await repository.release(pending, false);

    now += 48 * 3600 * 1000;
    const kept = await repository.claim(record('pending-key'));
    await repository.setExpiry('sf_a', 'pending-key', true);
    now += 25 * 3600 * 1000;
    const expired = await repository.claim(record('pending-key'));

    expect(kept).toMatchObject({ state: 'released', resourceId: 'txn_pending-key' });
    expect(expired).toBeUndefined();
  });

  it('takes the expiry of a key away while its transaction is unresolved', async () => {
    await repository.claim(record('unresolved'));
    await repository.setExpiry('sf_a', 'unresolved', false);

    now += 48 * 3600 * 1000;

    expect(await repository.claim(record('unresolved'))).toMatchObject({ resourceId: 'txn_unresolved' });
  });
});
