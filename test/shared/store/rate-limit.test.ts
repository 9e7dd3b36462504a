import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoRateLimiter, refillPeriodMs } from '../../../shared/store/rate-limit';
import { engines, startTestTable, type TestTable, testTableStartTimeoutMs } from '../../support/local-table';

/** A document client counting the requests sent through it, by command name. */
function counting(db: DynamoDBDocumentClient) {
  const sent: string[] = [];
  const client = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return db.send(command as Parameters<DynamoDBDocumentClient['send']>[0]);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
}

describe('Function: refillPeriodMs', () => {
  it.each([
    [{ requestsPerSecond: 50, burst: 100 }, 2000],
    [{ requestsPerSecond: 10, burst: 10 }, 1000],
    [{ requestsPerSecond: 3, burst: 1 }, 333],
  ])('refills %j every %i ms: the time the burst takes at the rate', (limit, expected) => {
    expect(refillPeriodMs(limit)).toBe(expected);
  });
});

describe.each(engines)('Class: DynamoRateLimiter (%s)', (engine) => {
  let table: TestTable;
  /** The clock of the limiter under test: a refill period starts at every multiple of 3000 ms. */
  let now: number;
  const limit = { requestsPerSecond: 1, burst: 3 };
  const periodStart = Date.parse('2026-11-24T10:00:00.000Z');

  beforeAll(async () => {
    table = await startTestTable(engine);
  }, testTableStartTimeoutMs);
  afterAll(() => table?.close());
  beforeEach(() => {
    now = periodStart;
  });

  const limiter = (db: DynamoDBDocumentClient = table.db) =>
    new DynamoRateLimiter(db, table.tableName, limit, () => now);

  it('lets a burst through, refuses the next request until the refill, then lets a burst through again', async () => {
    // Prepare
    const { client, sent } = counting(table.db);
    const bucket = limiter(client);

    // Act
    const burst = [
      await bucket.take('sf_burst'),
      await bucket.take('sf_burst'),
      await bucket.take('sf_burst'),
    ];
    now += 500;
    const refused = await bucket.take('sf_burst');
    now = periodStart + 3000;
    const refilled = [await bucket.take('sf_burst'), await bucket.take('sf_burst')];

    // Assess
    expect(burst).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 3 });
    expect(refilled).toEqual([{ allowed: true }, { allowed: true }]);
    // One conditional update per request, never a read: the refused one included.
    expect(sent).toEqual(Array(6).fill('UpdateCommand'));
  });

  it('refuses again without asking DynamoDB until the refill, once a request was refused', async () => {
    // Prepare
    const { client, sent } = counting(table.db);
    const bucket = limiter(client);
    for (let taken = 0; taken < 3; taken++) await bucket.take('sf_flood');
    await bucket.take('sf_flood');
    const before = sent.length;

    // Act
    now += 1200;
    const flood = await Promise.all(Array.from({ length: 50 }, () => bucket.take('sf_flood')));

    // Assess
    expect(flood.every((decision) => !decision.allowed)).toBe(true);
    expect(flood[0]).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(sent.length).toBe(before);
  });

  it('counts a burst across containers sharing the bucket', async () => {
    // Prepare: two containers' limiters on the same table
    const [first, second] = [limiter(), limiter()];

    // Act
    const decisions = await Promise.all([
      first.take('sf_shared'),
      second.take('sf_shared'),
      first.take('sf_shared'),
      second.take('sf_shared'),
      first.take('sf_shared'),
    ]);

    // Assess
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
  });

  it('keeps each storefront to its own bucket', async () => {
    // Prepare
    const bucket = limiter();
    for (let taken = 0; taken < 4; taken++) await bucket.take('sf_greedy');

    // Act
    const other = await bucket.take('sf_quiet');

    // Assess
    expect(other).toEqual({ allowed: true });
  });

  it('keeps one item per storefront and refill period, with the tokens left, and a TTL after the period', async () => {
    // Prepare
    const bucket = limiter();

    // Act
    await bucket.take('sf_items');
    await bucket.take('sf_items');
    now += 3000;
    await bucket.take('sf_items');
    const { Items } = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RATE#sf_items' },
      }),
    );

    // Assess
    expect(Items).toEqual([
      {
        pk: 'RATE#sf_items',
        sk: 'REFILL#2026-11-24T10:00:00.000Z',
        tokens: 1,
        refilledAt: '2026-11-24T10:00:00.000Z',
        expiresAt: periodStart / 1000 + 3 + 3600,
      },
      {
        pk: 'RATE#sf_items',
        sk: 'REFILL#2026-11-24T10:00:03.000Z',
        tokens: 2,
        refilledAt: '2026-11-24T10:00:03.000Z',
        expiresAt: periodStart / 1000 + 6 + 3600,
      },
    ]);
  });
});
