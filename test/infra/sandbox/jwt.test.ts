import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { callGateway, envelopeOf, JSON_HEADERS, jwtSale } from './gateway-calls';

const TTL_MS = 60_000;

describe('Endpoint: POST /rest/v2/mobilejwt/manual and the JWT it issues', () => {
  let clock: Date;
  let sandbox: Sandbox;

  beforeAll(async () => {
    clock = new Date('2026-03-01T12:00:00.000Z');
    sandbox = await startSandbox({ jwtTtlMs: TTL_MS, now: () => clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    clock = new Date('2026-03-01T12:00:00.000Z');
    sandbox.reset();
  });

  const issue = (body: object, headers: Record<string, string> = { 'public-key': 'pk_test_anything' }) =>
    fetch(`${sandbox.url}/rest/v2/mobilejwt/manual`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...headers },
      body: JSON.stringify(body),
    });

  it('issues a three-part JWT with the last four digits, never echoing the card number', async () => {
    // Act
    const response = await issue({ card: '4111111111111111', 'exp-date': '1228', csc: '999' });
    const text = await response.text();

    // Assess
    expect(response.status).toBe(200);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ code: '200', status: 'success', payload: { payloadType: 'mobile-jwt' } });
    expect(body['exchange-id']).toMatch(/^ID-/);
    expect(body.payload['mobile-jwt']['last-four']).toBe('1111');
    expect(body.payload['mobile-jwt'].jwt).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(text).not.toContain('4111111111111111');
  });

  it('refuses a missing public-key with the 401 envelope', async () => {
    // Act
    const response = await issue({ card: '4111111111111111', 'exp-date': '1228' }, {});

    // Assess
    expect(response.status).toBe(401);
    expect((await envelopeOf(response)).payload.error?.['result-code']).toBe('042');
  });

  it.each([
    [{ card: '4111111111111112', 'exp-date': '1228' }, '009'],
    [{ 'exp-date': '1228' }, '011'],
    [{ card: '4111111111111111', 'exp-date': '1328' }, '002'],
    [{ card: '4111111111111111', 'exp-date': '1228', csc: '99999' }, '002'],
  ])('refuses %j with a 400 and result code %s', async (body, resultCode) => {
    // Act
    const response = await issue(body);

    // Assess
    expect(response.status).toBe(400);
    expect((await envelopeOf(response)).payload.error?.['result-code']).toBe(resultCode);
  });

  it('charges the card behind a JWT once, and refuses the same JWT a second time (400, 041)', async () => {
    // Prepare
    const issued = await envelopeOf(
      await issue({ card: '5454545454545454', 'exp-date': '1228', csc: '123' }),
    );
    const jwt = String(issued.payload['mobile-jwt']?.jwt);

    // Act
    const first = await jwtSale(sandbox, jwt, { amount: '12.00' });
    const second = await jwtSale(sandbox, jwt, { amount: '12.00' });

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.payload.transaction).toMatchObject({ 'last-four': '5454', 'card-type': 'MASTERCARD' });
    expect(second.status).toBe(400);
    expect(second.body.payload.error).toMatchObject({
      'error-message': 'Mobile JWT has already been used',
      'result-code': '041',
    });
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('refuses a JWT used after its time to live, without charging', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();
    clock = new Date(clock.getTime() + TTL_MS);

    // Act
    const answer = await jwtSale(sandbox, jwt, { amount: '12.00' });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['error-message']).toBe('Mobile JWT has expired');
    expect(sandbox.ledger.transactions).toHaveLength(0);
  });

  it('accepts a JWT just before it expires', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();
    clock = new Date(clock.getTime() + TTL_MS - 1);

    // Act
    const answer = await jwtSale(sandbox, jwt, { amount: '12.00' });

    // Assess
    expect(answer.status).toBe(200);
  });

  it.each([
    ['a forged signature', (jwt: string) => `${jwt.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`],
    ['a non-JWT', () => 'not-a-jwt'],
  ])('refuses %s (400, 041)', async (_name, tamper) => {
    // Act
    const answer = await jwtSale(sandbox, tamper(sandbox.issueJwt()), { amount: '12.00' });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['result-code']).toBe('041');
  });

  it('leaves the JWT usable when the sale is refused for a missing field', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();

    // Act
    const refused = await jwtSale(sandbox, jwt, { amount: '12.00', 'software-type': undefined });
    const retried = await jwtSale(sandbox, jwt, { amount: '12.00' });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.payload.error?.['result-code']).toBe('011');
    expect(retried.status).toBe(200);
  });

  it('refuses a mobile sale without the mobilejwt header', async () => {
    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/mobile/transactions/sale', {
      type: 'SALE',
      amount: '1.00',
      'software-type': 'tests',
      'software-type-version': '1',
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.payload.error?.['error-message']).toBe('mobilejwt header is required');
  });
});
