import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, JSON_HEADERS } from './gateway-calls';

describe('Endpoints: /_sandbox control on a running instance', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
      method,
      headers: JSON_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('queues faults from JSON (one or an array), lists them, and clears them', async () => {
    // Act
    const queued = await control('POST', 'faults', [
      { kind: 'http-error', status: 503, times: 2 },
      { kind: 'malformed', match: { operation: 'sale' } },
    ]);
    const listed = await control('GET', 'faults');
    const cleared = await control('DELETE', 'faults');
    const afterClear = await control('GET', 'faults');

    // Assess
    expect(queued.status).toBe(201);
    expect(listed.body.faults).toEqual([
      { kind: 'http-error', status: 503, times: 2, remaining: 2 },
      { kind: 'malformed', match: { operation: 'sale' }, remaining: 1 },
    ]);
    expect(cleared.status).toBe(200);
    expect(afterClear.body.faults).toEqual([]);
  });

  it('applies a fault queued over HTTP to the next gateway request', async () => {
    // Prepare
    await control('POST', 'faults', { kind: 'http-error', status: 503 });

    // Act
    const response = await fetch(`${sandbox.url}/rest/v2/transactions`, {
      headers: { 'api-key': sandbox.apiKey },
    });

    // Assess
    expect(response.status).toBe(503);
  });

  it.each([
    ['an unknown kind', { kind: 'explode' }],
    ['a status other than 500, 502, 503 or 504', { kind: 'http-error', status: 501 }],
    ['processed not a boolean', { kind: 'http-error', status: 502, processed: 'yes' }],
    ['a late completion without delay', { kind: 'late-completion' }],
    ['an unknown operation', { kind: 'xml', match: { operation: 'capture' } }],
    ['an extra field', { kind: 'xml', delayMs: 5 }],
  ])('refuses %s with a 400', async (_name, fault) => {
    // Act
    const answer = await control('POST', 'faults', fault);

    // Assess
    expect(answer.status).toBe(400);
    expect(sandbox.ledger.requestCounts).toEqual({});
  });

  it('queues a late completion and a processed http-error from JSON', async () => {
    // Act
    const queued = await control('POST', 'faults', [
      { kind: 'late-completion', delayMs: 1_000, match: { operation: 'refund' } },
      { kind: 'http-error', status: 504, processed: true },
    ]);

    // Assess
    expect(queued.status).toBe(201);
    expect(queued.body.faults).toEqual([
      { kind: 'late-completion', delayMs: 1_000, match: { operation: 'refund' }, remaining: 1 },
      { kind: 'http-error', status: 504, processed: true, remaining: 1 },
    ]);
  });

  it('serves the ledger as JSON, amounts in cents', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '12.34', { invoice: 'txn_1' });

    // Act
    const ledger = await control('GET', 'ledger');

    // Assess
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({
      chargeCount: 1,
      refundedBySale: { [saleId]: 0 },
      transactions: [{ id: saleId, type: 'SALE', amount: 1234, invoice: 'txn_1', result: 'APPROVED' }],
      requestCounts: { 'POST /rest/v2/mobile/transactions/sale': 1 },
    });
  });

  it('pages the ledger with offset and limit', async () => {
    // Prepare
    const ids = [];
    for (const amount of ['1.00', '2.00', '3.00']) ids.push(await approvedSale(sandbox, amount));

    // Act
    const page = await control('GET', 'ledger?offset=1&limit=1');
    const rest = await control('GET', 'ledger?offset=2');
    const nonsense = await control('GET', 'ledger?limit=-1');

    // Assess
    expect(page.body).toMatchObject({
      total: 3,
      offset: 1,
      chargeCount: 3,
      refundedBySale: { [String(ids[1])]: 0 },
    });
    expect((page.body.transactions as { id: string }[]).map((t) => t.id)).toEqual([ids[1]]);
    expect((rest.body.transactions as { id: string }[]).map((t) => t.id)).toEqual([ids[2]]);
    expect(nonsense.status).toBe(400);
  });

  it('resets the instance over HTTP', async () => {
    // Prepare
    await approvedSale(sandbox, '1.00');

    // Act
    const answer = await control('POST', 'reset');

    // Assess
    expect(answer.status).toBe(200);
    expect(sandbox.ledger.transactions).toEqual([]);
    expect(sandbox.ledger.requestCounts).toEqual({});
  });

  it('answers 404 for an unknown control endpoint', async () => {
    // Act
    const answer = await control('GET', 'nothing');

    // Assess
    expect(answer.status).toBe(404);
  });
});
