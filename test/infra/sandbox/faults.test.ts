import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, callGateway, envelopeOf, JSON_HEADERS, jwtSale, until } from './gateway-calls';

describe('Faults: injected misbehaviour', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const rawSale = (jwt: string, signal?: AbortSignal) =>
    fetch(`${sandbox.url}/rest/v2/mobile/transactions/sale`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'api-key': sandbox.apiKey, mobilejwt: jwt },
      body: JSON.stringify({
        type: 'SALE',
        amount: '20.00',
        'software-type': 't',
        'software-type-version': '1',
      }),
      signal,
    });

  it('late: charges, then answers only after the delay, so a client with a shorter timeout gives up', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'late', delayMs: 10_000 });
    const clientTimeout = new AbortController();

    // Act
    const sale = rawSale(sandbox.issueJwt(), clientTimeout.signal);
    await until(() => sandbox.ledger.chargeCount === 1);
    clientTimeout.abort();

    // Assess
    await expect(sale).rejects.toThrow('aborted');
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('late: the answer does arrive for a patient client', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'late', delayMs: 20 });

    // Act
    const response = await rawSale(sandbox.issueJwt());

    // Assess
    expect(response.status).toBe(200);
    expect((await envelopeOf(response)).payload.transaction?.result).toBe('APPROVED');
  });

  it('http-error 503: answers a non-Clearent 503 page without processing, so the JWT still works', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();
    sandbox.injectFault({ kind: 'http-error', status: 503 });

    // Act
    const unavailable = await rawSale(jwt);
    const retried = await rawSale(jwt);

    // Assess
    expect(unavailable.status).toBe(503);
    expect(await unavailable.text()).toContain('Service Unavailable');
    expect(retried.status).toBe(200);
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('http-error 500: answers a 500 envelope (050) without processing', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'http-error', status: 500 });

    // Act
    const answer = await jwtSale(sandbox, sandbox.issueJwt(), { amount: '20.00' });

    // Assess
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: '500', status: 'fail', payload: { payloadType: 'error' } });
    expect(answer.body.payload.error?.['result-code']).toBe('050');
    expect(sandbox.ledger.transactions).toHaveLength(0);
  });

  it.each([
    [502, 'Bad Gateway'],
    [504, 'Gateway Time-out'],
  ])(
    'http-error %i: answers a load balancer page, not an envelope, without processing',
    async (status, page) => {
      // Prepare
      sandbox.injectFault({ kind: 'http-error', status: status as 502 | 504 });

      // Act
      const response = await rawSale(sandbox.issueJwt());

      // Assess
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/html');
      expect(await response.text()).toContain(page);
      expect(sandbox.ledger.transactions).toHaveLength(0);
    },
  );

  it.each([500, 502, 503, 504] as const)(
    'http-error %i with processed: charges once, then answers the 5xx; the JWT is used up',
    async (status) => {
      // Prepare
      const jwt = sandbox.issueJwt();
      sandbox.injectFault({ kind: 'http-error', status, processed: true });

      // Act
      const failed = await rawSale(jwt);
      const retried = await jwtSale(sandbox, jwt, { amount: '20.00' });

      // Assess
      expect(failed.status).toBe(status);
      expect(sandbox.ledger.chargeCount).toBe(1);
      expect(sandbox.ledger.charges[0]).toMatchObject({ amount: 2000, result: 'APPROVED' });
      expect(retried.status).toBe(400);
      expect(retried.body.payload.error?.['error-message']).toBe('Mobile JWT has already been used');
    },
  );

  it('http-error with processed on a refund: the refund is made and recorded, then a 504', async () => {
    // Prepare
    const saleId = await approvedSale(sandbox, '30.00');
    sandbox.injectFault({ kind: 'http-error', status: 504, processed: true, match: { operation: 'refund' } });

    // Act
    const failed = await fetch(`${sandbox.url}/rest/v2/transactions/refund`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'api-key': sandbox.apiKey },
      body: JSON.stringify({ type: 'REFUND', id: saleId, amount: '10.00' }),
    });
    const lookup = await callGateway(sandbox, 'GET', `/rest/v2/transactions?id=${saleId}`);

    // Assess
    expect(failed.status).toBe(504);
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(1000);
    expect(sandbox.ledger.transactions.map((t) => [t.type, t.result])).toEqual([
      ['SALE', 'APPROVED'],
      ['REFUND', 'APPROVED'],
    ]);
    expect(lookup.status).toBe(200);
  });

  it('malformed: charges, then answers 200 with a body that does not parse', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'malformed' });

    // Act
    const response = await rawSale(sandbox.issueJwt());
    const text = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('reset-after-processing: charges, then drops the connection', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'reset-after-processing' });

    // Act
    const sale = rawSale(sandbox.issueJwt());

    // Assess
    await expect(sale).rejects.toThrow('fetch failed');
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('reset-before-processing: drops the connection without charging, leaving the JWT usable', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();
    sandbox.injectFault({ kind: 'reset-before-processing' });

    // Act
    const dropped = rawSale(jwt);
    await expect(dropped).rejects.toThrow('fetch failed');
    const retried = await rawSale(jwt);

    // Assess
    expect(retried.status).toBe(200);
    expect(sandbox.ledger.chargeCount).toBe(1);
    expect(sandbox.ledger.requestCounts['POST /rest/v2/mobile/transactions/sale']).toBe(2);
  });

  it('xml: answers XML although JSON was asked for', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'xml' });

    // Act
    const response = await rawSale(sandbox.issueJwt());

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/xml');
    expect(await response.text()).toMatch(/^<\?xml .*<response><code>200<\/code>/);
  });

  it('applies a fault to the next `times` matching requests only', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'http-error', status: 503, times: 2 });

    // Act
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await rawSale(sandbox.issueJwt())).status);

    // Assess
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('aims a fault at one operation or path, leaving other requests alone', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'http-error', status: 500, match: { operation: 'refund' } });
    sandbox.injectFault({ kind: 'http-error', status: 503, match: { pathPrefix: '/rest/v2/tokens' } });

    // Act
    const saleId = await approvedSale(sandbox, '5.00');
    const lookup = await callGateway(sandbox, 'GET', `/rest/v2/transactions?id=${saleId}`);
    const refund = await callGateway(sandbox, 'POST', '/rest/v2/transactions', {
      type: 'REFUND',
      id: saleId,
      amount: '1.00',
    });
    const token = await fetch(`${sandbox.url}/rest/v2/tokens/1`, { headers: { 'api-key': sandbox.apiKey } });

    // Assess
    expect(lookup.status).toBe(200);
    expect(refund.status).toBe(500);
    expect(token.status).toBe(503);
    expect(sandbox.ledger.refundedAmount(saleId)).toBe(0);
  });

  it('refuses a fault that makes no sense', () => {
    // Act & Assess
    expect(() => sandbox.injectFault({ kind: 'late', delayMs: -1 })).toThrow();
  });

  it('forgets queued faults on clearFaults()', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'http-error', status: 500 });

    // Act
    sandbox.clearFaults();
    const response = await rawSale(sandbox.issueJwt());

    // Assess
    expect(response.status).toBe(200);
  });
});

describe('Option: latencyMs', () => {
  it('holds every answer back, after processing', async () => {
    // Prepare
    const slow = await startSandbox({ latencyMs: 10_000 });
    const clientGivesUp = new AbortController();

    // Act
    const lookup = fetch(`${slow.url}/rest/v2/transactions`, {
      headers: { ...JSON_HEADERS, 'api-key': slow.apiKey },
      signal: clientGivesUp.signal,
    });
    await until(() => slow.ledger.requestCounts['GET /rest/v2/transactions'] === 1);
    clientGivesUp.abort();

    // Assess
    await expect(lookup).rejects.toThrow('aborted');
    await slow.close();
  });
});
