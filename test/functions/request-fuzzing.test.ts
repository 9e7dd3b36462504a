/**
 * Property-based: whatever invalid body a storefront posts (arbitrary JSON, text, or a near-valid body
 * with one to three bad changes), the charging routes answer 400 with the contract's error, call the
 * gateway never and store nothing, even when the body names a real JWT, card or sale.
 */
import fc from 'fast-check';
import {
  type ErrorAnswer,
  gatewayRequestTotal,
  startApi,
  TEST_CARD,
  type TestApi,
  type TransactionList,
} from './support/api';
import {
  type BodyRules,
  invalidRawBody,
  jwtSaleRules,
  OWN_FIELD,
  refundRules,
  tokenSaleRules,
} from './support/invalid-bodies';

const RUNS = 100;

let api: TestApi;
let rules: Record<string, BodyRules>;

beforeAll(async () => {
  api = await startApi();
  const { customerId, cardId, sale } = await api.saveCard();
  // Real, unused one-time tokens: a body that slipped through with one of them would be charged.
  const jwts = Array.from({ length: 4 }, () => api.jwt());
  rules = {
    '/v1/sales/jwt': jwtSaleRules(jwts, [customerId, 'cus_42']),
    '/v1/sales/token': tokenSaleRules([customerId, 'cus_42'], [cardId]),
    '/v1/refunds': refundRules([sale.id]),
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

describe('Function: jwt-sale, token-sale and refund handlers, fuzzed bodies', () => {
  it.each(['/v1/sales/jwt', '/v1/sales/token', '/v1/refunds'])(
    'answers every invalid body posted to %s 400, unsent and unstored',
    async (path) => {
      // Prepare
      const before = await snapshot();
      const routeRules = rules[path] ?? {};

      // Act
      await fc.assert(
        fc.asyncProperty(invalidRawBody(routeRules), async (rawBody) => {
          const response = await api.post(path, undefined, { rawBody });

          // Assess (each run)
          expect(response.status).toBe(400);
          const { error } = response.json<ErrorAnswer>();
          expect(error.type).toBe('invalid_request_error');
          expect(['validation_error', 'invalid_json']).toContain(error.code);
          expect(gatewayRequestTotal(api.sandbox)).toBe(before.gatewayRequests);
          expect(await api.store.itemCount()).toBe(before.storedItems);
        }),
        { numRuns: RUNS },
      );

      // Assess
      expect(await snapshot()).toEqual(before);
    },
  );

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
