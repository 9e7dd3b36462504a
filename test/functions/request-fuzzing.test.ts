/**
 * Property-based: whatever invalid request a storefront posts (arbitrary JSON, text, or a near-valid body
 * with one to three bad changes drawn from the contract's hand-written examples), the charging routes answer
 * 400 with the contract's error, call the gateway never and store nothing, even when the body names a real
 * JWT, card or sale. (Each example alone is tried against the field schemas by
 * test/shared/http/validation.test.ts.) The exact edges the contract names, the amount maximum and the
 * API key's letter case, are tried one by one.
 */
import fc from 'fast-check';
import {
  type ErrorAnswer,
  gatewayRequestTotal,
  type SavedCard,
  shopA,
  startApi,
  TEST_CARD,
  type TestApi,
  type TransactionList,
  type TransactionResource,
} from './support/api';
import {
  type BodyRules,
  invalidRequest,
  jwtSaleRules,
  OWN_FIELD,
  refundRules,
  refusalProblem,
  tokenSaleRules,
} from './support/invalid-bodies';

const RUNS = 100;
const ROUTES = ['/v1/sales/jwt', '/v1/sales/token', '/v1/refunds'] as const;
type Route = (typeof ROUTES)[number];

let api: TestApi;
let saved: SavedCard;
let rules: Record<Route, BodyRules>;
/** A valid body per route, against the real customer, card and sale (a fresh real JWT each time). */
let validBody: Record<Route, () => Record<string, unknown>>;

beforeAll(async () => {
  api = await startApi();
  saved = await api.saveCard();
  const { customerId, cardId, sale } = saved;
  // Real, unused one-time tokens: a body that slipped through with one of them would be charged.
  const jwts = Array.from({ length: 4 }, () => api.jwt());
  rules = {
    '/v1/sales/jwt': jwtSaleRules(jwts, [customerId]),
    '/v1/sales/token': tokenSaleRules([customerId], [cardId]),
    '/v1/refunds': refundRules([sale.id]),
  };
  validBody = {
    '/v1/sales/jwt': () => ({ amount: '1.00', jwt: api.jwt(), customerId }),
    '/v1/sales/token': () => ({ amount: '1.00', customerId, cardId }),
    '/v1/refunds': () => ({ transactionId: sale.id, amount: '0.25' }),
  };
});
afterAll(() => api.close());

async function snapshot() {
  const list = await api.get('/v1/transactions?limit=100');
  return {
    gatewayRequests: gatewayRequestTotal(api.sandbox),
    storedItems: await api.store.itemCount(),
    transactions: list.json<TransactionList>().data,
  };
}

/** Gateway requests and stored items now. */
async function counts() {
  return { gatewayRequests: gatewayRequestTotal(api.sandbox), storedItems: await api.store.itemCount() };
}

describe('Function: jwt-sale, token-sale and refund handlers, fuzzed bodies', () => {
  it.each(ROUTES)('answers every invalid request posted to %s 400, unsent and unstored', async (path) => {
    // Prepare
    const before = await snapshot();
    // Compared run by run, so that a run that did send or store something is the one reported (and shrunk).
    let previous = await counts();

    // Act
    await fc.assert(
      fc.asyncProperty(invalidRequest(rules[path]), async (request) => {
        const response = await api.post(path, undefined, { rawBody: request.rawBody, key: request.key });

        // Assess (each run)
        const now = await counts();
        const was = previous;
        previous = now;
        expect(refusalProblem(response, request)).toBeUndefined();
        expect(now).toEqual(was);
      }),
      { numRuns: RUNS },
    );

    // Assess
    expect(await snapshot()).toEqual(before);
  });

  it('never echoes a JWT, a card number or a token id, sent as a value or as a field name', async () => {
    // Prepare
    const secrets = [api.jwt(), TEST_CARD, '1100000000000011111'];
    const validBodies: Record<string, Record<string, unknown>> = {
      '/v1/sales/jwt': { amount: '1.00', jwt: 'header.claims.signature', customerId: 'cus_1' },
      '/v1/sales/token': { amount: '1.00', customerId: 'cus_1', cardId: 'card_1' },
      '/v1/refunds': { transactionId: 'txn_1', amount: '1.00' },
    };
    const placements = ['jwt', 'customerId', 'cardId', 'orderId', 'transactionId', 'as a field name'];

    // Act
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...secrets),
        fc.constantFrom(...placements),
        fc.constantFrom(...Object.keys(validBodies)),
        async (secret, placement, path) => {
          // A field name makes an otherwise valid body invalid; a value goes beside an invalid amount.
          const body =
            placement === 'as a field name'
              ? Object.defineProperty({ ...validBodies[path] }, secret, { ...OWN_FIELD, value: true })
              : { ...validBodies[path], amount: '1.005', [placement]: secret };
          const response = await api.post(path, body);

          // Assess
          expect(response.status).toBe(400);
          expect(response.text).not.toContain(secret);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/**
 * Contract, Money: "at most a configurable maximum (default "99999.99")": the maximum itself is accepted and
 * one cent more is refused, on every route that takes an amount.
 */
describe('Function: jwt-sale, token-sale and refund handlers, the default amount maximum', () => {
  it.each(ROUTES)('refuses 100000.00 posted to %s 400 naming amount, unsent and unstored', async (path) => {
    // Prepare
    const before = await counts();

    // Act
    const response = await api.post(path, { ...validBody[path](), amount: '100000.00' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({
      type: 'invalid_request_error',
      param: 'amount',
    });
    expect(await counts()).toEqual(before);
  });

  it('charges 99999.99 by JWT and by token, and refunds 99999.99 of it', async () => {
    // Prepare
    const before = gatewayRequestTotal(api.sandbox);

    // Act
    const jwtSale = await api.jwtSale('99999.99');
    const tokenSale = await api.post('/v1/sales/token', {
      amount: '99999.99',
      customerId: saved.customerId,
      cardId: saved.cardId,
    });
    const sale = jwtSale.json<TransactionResource>();
    const tooMuch = await api.post('/v1/refunds', { transactionId: sale.id, amount: '100000.00' });
    const refund = await api.post('/v1/refunds', { transactionId: sale.id, amount: '99999.99' });

    // Assess
    expect([jwtSale.status, tokenSale.status, tooMuch.status, refund.status]).toEqual([201, 201, 400, 201]);
    expect(sale.amount).toBe('99999.99');
    expect(tokenSale.json<TransactionResource>().amount).toBe('99999.99');
    expect(tooMuch.json<ErrorAnswer>().error.param).toBe('amount');
    expect(refund.json<TransactionResource>()).toMatchObject({ type: 'refund', amount: '99999.99' });
    expect(gatewayRequestTotal(api.sandbox)).toBeGreaterThanOrEqual(before + 3);
  });
});

/**
 * Contract, Authentication: keys are "stored only as a hash. Missing or wrong key: 401 with an
 * authentication_error". A key is a random string: one that differs only in letter case is another key.
 */
describe('Function: authorizer, the API key letter case', () => {
  it('accepts the exact key', async () => {
    // Act
    const response = await api.get('/v1/transactions?limit=1', { apiKey: shopA.apiKey });

    // Assess
    expect(response.status).toBe(200);
  });

  it.each([
    ['upper-cased', shopA.apiKey.toUpperCase()],
    ['with its first letter upper-cased', `${shopA.apiKey[0]?.toUpperCase()}${shopA.apiKey.slice(1)}`],
  ])('refuses the key %s 401 authentication_error, unsent and unstored', async (_case, apiKey) => {
    // Prepare
    expect(apiKey).not.toBe(shopA.apiKey);
    const before = await counts();

    // Act
    const listed = await api.get('/v1/transactions?limit=1', { apiKey });
    const charged = await api.jwtSale('1.00', {}, { apiKey });

    // Assess
    expect([listed.status, charged.status]).toEqual([401, 401]);
    expect(listed.json<ErrorAnswer>().error.type).toBe('authentication_error');
    expect(charged.json<ErrorAnswer>().error.type).toBe('authentication_error');
    expect(await counts()).toEqual(before);
  });
});
