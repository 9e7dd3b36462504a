/**
 * The logs of a full run through the real handlers, at the most verbose settings (DEBUG, and every
 * incoming event logged), hold no card number, JWT, card token id or key.
 */
import { clearentApiKey, shopA, shopB, startApi, TEST_CARD, type TestApi, unique } from './support/api';

const WRONG_KEY = 'sk_test_wrong_key_not_secret';
/** Read by the handlers when they load, at their first request. */
const environment = {
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  POWERTOOLS_LOGGER_LOG_EVENT: 'true',
  CLEARENT_TIMEOUT_MS: '500',
};

let api: TestApi;
const output: string[] = [];
const jwtsSent: string[] = [];
const restores: (() => void)[] = [];

function capture(stream: NodeJS.WriteStream): void {
  const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  restores.push(() => spy.mockRestore());
}

function setEnvironment(): void {
  for (const [name, value] of Object.entries(environment)) {
    const previous = process.env[name];
    process.env[name] = value;
    restores.push(() => {
      if (previous === undefined) delete process.env[name];
      else process.env[name] = previous;
    });
  }
}

async function jwtSale(amount: string, fields: Record<string, unknown> = {}, key = unique('idem')) {
  const jwt = api.jwt();
  jwtsSent.push(jwt);
  return api.post('/v1/sales/jwt', { amount, jwt, ...fields }, { key });
}

/** Every kind of request: approvals, a decline, a timeout and its retry, refusals, a card removal. */
async function fullRun(): Promise<void> {
  const customerId = unique('cus');
  const sale = (await jwtSale('25.55', { customerId, orderId: 'A-1' })).json<{
    id: string;
    cardId: string;
  }>();
  await api.post('/v1/sales/token', { amount: '10.00', customerId, cardId: sale.cardId });
  await api.post('/v1/refunds', { transactionId: sale.id, amount: '5.00' });
  await jwtSale('0.21', { customerId });
  api.sandbox.injectFault({ kind: 'late', delayMs: 1_500, match: { operation: 'mobile-sale' } });
  const key = unique('idem');
  const timedOut = await jwtSale('30.00', { customerId }, key);
  expect(timedOut.status).toBe(504);
  const retryJwt = jwtsSent.at(-1);
  await api.post('/v1/sales/jwt', { amount: '30.00', jwt: retryJwt, customerId }, { key });
  await api.get(`/v1/transactions?customerId=${customerId}`);
  await api.get(`/v1/customers/${customerId}/cards`);
  await jwtSale('1.00', { [TEST_CARD]: true });
  await api.post('/v1/sales/jwt', { amount: '1.00', jwt: 'x', card: TEST_CARD });
  await api.get('/v1/transactions', { apiKey: WRONG_KEY });
  await api.get('/v1/transactions', { apiKey: shopB.apiKey });
  api.sandbox.injectFault({ kind: 'http-error', status: 500, match: { operation: 'delete-token' } });
  await api.delete(`/v1/customers/${customerId}/cards/${sale.cardId}`);
  const removed = await api.delete(`/v1/customers/${customerId}/cards/${sale.cardId}`);
  expect(removed.status).toBe(204);
}

beforeAll(async () => {
  setEnvironment();
  capture(process.stdout);
  capture(process.stderr);
  api = await startApi({ log: (line) => output.push(line) });
  await fullRun();
});
afterAll(async () => {
  await api?.close();
  for (const restore of restores.reverse()) restore();
});

describe('Function: every handler, logging', () => {
  it('logged the run (the check below has something to look at)', () => {
    // Assess
    const logged = output.join('');
    expect(logged).toContain('"message":"gateway call"');
    expect(logged).toContain('"message":"Lambda invocation event"');
    expect(logged).toContain('"level":"ERROR"');
    expect(logged).toContain('POST /v1/sales/jwt 504');
    // The events carried secrets, masked on their way out.
    expect(logged).toContain('[REDACTED]');
  });

  it.each([
    ['the card number', () => [TEST_CARD]],
    ['the JWTs', () => jwtsSent],
    ['the card token ids', () => api.sandbox.ledger.tokens.map((token) => token.tokenId)],
    ['the storefront API keys', () => [shopA.apiKey, shopB.apiKey, WRONG_KEY]],
    ["the storefronts' Clearent api-key", () => [clearentApiKey]],
  ])('never contain %s', (_what, secretsOf) => {
    // Prepare
    const secrets = secretsOf();
    const logged = output.join('');

    // Assess
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
