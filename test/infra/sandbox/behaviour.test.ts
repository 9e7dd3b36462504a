import {
  DEFAULT_SANDBOX_BEHAVIOUR,
  type Sandbox,
  type SandboxBehaviour,
  startSandbox,
} from '../../../infra/sandbox';
import { JSON_HEADERS, jwtSale } from './gateway-calls';

const DUPLICATES = { windowMs: 60_000, match: 'invoice', respondWith: 'earlier-transaction' } as const;

describe('Behaviour: settable at start, at run time and over HTTP', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ behaviour: { searchLagMs: 1_000 } });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const behaviourOverHttp = async (method: 'GET' | 'PUT', body?: unknown) => {
    const response = await fetch(`${sandbox.url}/_sandbox/behaviour`, {
      method,
      headers: JSON_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('defaults to what Clearent documents, overridden by the start option', () => {
    // Assess
    expect(DEFAULT_SANDBOX_BEHAVIOUR).toEqual({
      searchLagMs: 0,
      emptySearchStatus: 204,
      mobileAmountsUnderOneDecline: true,
      duplicateDetection: false,
    });
    expect(sandbox.behaviour).toEqual({ ...DEFAULT_SANDBOX_BEHAVIOUR, searchLagMs: 1_000 });
  });

  it('changes only what configure() is given, and takes effect on the next request', async () => {
    // Act
    sandbox.configure({ mobileAmountsUnderOneDecline: false, duplicateDetection: DUPLICATES });
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount: '0.50' });

    // Assess
    expect(sandbox.behaviour).toEqual({
      searchLagMs: 1_000,
      emptySearchStatus: 204,
      mobileAmountsUnderOneDecline: false,
      duplicateDetection: DUPLICATES,
    });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['an unknown field', { retries: 3 }],
    ['an empty-search status Clearent does not use', { emptySearchStatus: 500 }],
    ['a negative lag', { searchLagMs: -1 }],
    ['a fractional lag', { searchLagMs: 1.5 }],
    ['duplicate detection on without a rule', { duplicateDetection: true }],
    ['an unknown duplicate answer', { duplicateDetection: { ...DUPLICATES, respondWith: 'ignore' } }],
    ['a duplicate rule without a window', { duplicateDetection: { match: 'invoice', respondWith: 'error' } }],
  ])('refuses %s: configure() throws, PUT answers 400, nothing changes', async (_name, change) => {
    // Act
    const configure = () => sandbox.configure(change as Partial<SandboxBehaviour>);
    const put = await behaviourOverHttp('PUT', change);

    // Assess
    expect(configure).toThrow();
    expect(put.status).toBe(400);
    expect(sandbox.behaviour).toEqual({ ...DEFAULT_SANDBOX_BEHAVIOUR, searchLagMs: 1_000 });
  });

  it('refuses a PUT body that is not JSON with a 400', async () => {
    // Act
    const response = await fetch(`${sandbox.url}/_sandbox/behaviour`, { method: 'PUT', body: 'lag=5' });

    // Assess
    expect(response.status).toBe(400);
  });

  it('serves and changes the behaviour over HTTP with a partial JSON', async () => {
    // Act
    const before = await behaviourOverHttp('GET');
    const put = await behaviourOverHttp('PUT', { emptySearchStatus: 404, duplicateDetection: DUPLICATES });
    const after = await behaviourOverHttp('GET');

    // Assess
    expect(before).toEqual({ status: 200, body: { ...DEFAULT_SANDBOX_BEHAVIOUR, searchLagMs: 1_000 } });
    expect(put.status).toBe(200);
    expect(after.body).toEqual({
      ...DEFAULT_SANDBOX_BEHAVIOUR,
      searchLagMs: 1_000,
      emptySearchStatus: 404,
      duplicateDetection: DUPLICATES,
    });
    expect(put.body).toEqual(after.body);
    expect(sandbox.behaviour).toEqual(after.body);
    expect(sandbox.ledger.requestCounts).toEqual({});
  });

  it('comes back to the start behaviour on reset()', () => {
    // Prepare
    sandbox.configure({ searchLagMs: 0, emptySearchStatus: 200 });

    // Act
    sandbox.reset();

    // Assess
    expect(sandbox.behaviour).toEqual({ ...DEFAULT_SANDBOX_BEHAVIOUR, searchLagMs: 1_000 });
  });

  it('hands out a frozen behaviour: changing it needs configure()', () => {
    // Assess
    expect(Object.isFrozen(sandbox.behaviour)).toBe(true);
  });
});
