/**
 * Free-text fields refuse card numbers however spelt and invisible formatting characters, on every route
 * that takes them, with a 400 naming the field; nothing reaches the gateway and nothing is stored.
 */
import { type ErrorAnswer, gatewayRequestTotal, type SavedCard, startApi, type TestApi } from './support/api';
import { CARD_NUMBER_SPELLINGS, INVISIBLE_FORMATTING } from './support/free-text-examples';

let api: TestApi;
let saved: SavedCard;

beforeAll(async () => {
  api = await startApi();
  saved = await api.saveCard();
});
afterAll(() => api.close());

type Post = (text: string) => { path: string; body: Record<string, unknown> };

/** Each free-text field of each route, with a body that is otherwise valid (a real JWT, card and sale). */
const fields: [field: string, route: string, post: Post][] = [
  [
    'description',
    'POST /v1/sales/jwt',
    (text) => ({ path: '/v1/sales/jwt', body: { amount: '1.00', jwt: api.jwt(), description: text } }),
  ],
  [
    'orderId',
    'POST /v1/sales/jwt',
    (text) => ({ path: '/v1/sales/jwt', body: { amount: '1.00', jwt: api.jwt(), orderId: text } }),
  ],
  [
    'customerId',
    'POST /v1/sales/jwt',
    (text) => ({ path: '/v1/sales/jwt', body: { amount: '1.00', jwt: api.jwt(), customerId: text } }),
  ],
  [
    'description',
    'POST /v1/sales/token',
    (text) => ({
      path: '/v1/sales/token',
      body: { amount: '1.00', customerId: saved.customerId, cardId: saved.cardId, description: text },
    }),
  ],
  [
    'orderId',
    'POST /v1/sales/token',
    (text) => ({
      path: '/v1/sales/token',
      body: { amount: '1.00', customerId: saved.customerId, cardId: saved.cardId, orderId: text },
    }),
  ],
  [
    'reason',
    'POST /v1/refunds',
    (text) => ({ path: '/v1/refunds', body: { transactionId: saved.sale.id, amount: '0.01', reason: text } }),
  ],
  [
    'description',
    'POST /v1/subscriptions',
    (text) => ({
      path: '/v1/subscriptions',
      body: {
        customerId: saved.customerId,
        cardId: saved.cardId,
        amount: '1.00',
        interval: 'month',
        description: text,
      },
    }),
  ],
  [
    'customerId',
    'POST /v1/subscriptions',
    (text) => ({
      path: '/v1/subscriptions',
      body: { customerId: text, cardId: saved.cardId, amount: '1.00', interval: 'month' },
    }),
  ],
];

const refusals = fields.flatMap(([field, route, post]) =>
  [...CARD_NUMBER_SPELLINGS, ...INVISIBLE_FORMATTING].map(
    ([spelling, text]) => [field, route, spelling, text, post] as const,
  ),
);

describe('Free-text fields, through the handlers', () => {
  it.each(refusals)(
    'refuses %s of %s holding %s: 400 naming it, unsent, unstored',
    async (field, _route, _spelling, text, post) => {
      // Prepare
      const gatewayBefore = gatewayRequestTotal(api.sandbox);
      const itemsBefore = await api.store.itemCount();
      const { path, body } = post(text);

      // Act
      const response = await api.post(path, body);

      // Assess
      expect(response.status).toBe(400);
      expect(response.json<ErrorAnswer>().error).toMatchObject({
        type: 'invalid_request_error',
        param: field,
      });
      expect(response.text).not.toContain('4111');
      expect(gatewayRequestTotal(api.sandbox)).toBe(gatewayBefore);
      expect(await api.store.itemCount()).toBe(itemsBefore);
    },
  );

  it.each([
    ['a card number', '4111%C2%A01111%C2%A01111%C2%A01111'],
    ['a right-to-left override', 'cus%E2%80%AE42'],
  ])('refuses a customer id in the path holding %s', async (_case, encoded) => {
    // Act
    const response = await api.get(`/v1/customers/${encoded}/cards`);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({
      type: 'invalid_request_error',
      param: 'customerId',
    });
  });

  it('accepts text in any script, emoji joined by zero-width joiners and digits that are no card number', async () => {
    // Act
    const response = await api.jwtSale('1.00', {
      description:
        'Family pack \u{1f468}\u200d\u{1f469}\u200d\u{1f467} \u0634\u0643\u0631\u0627, invoice 2026-11-24 #4111',
    });

    // Assess
    expect(response.status).toBe(201);
  });
});
