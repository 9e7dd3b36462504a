import { checkAnswer, checkWebhook, UndocumentedAnswerError } from './openapi-check';

const json = { 'content-type': 'application/json' };
const T0 = '2026-11-24T10:00:00.000Z';

const sale = {
  id: 'txn_1',
  type: 'sale',
  status: 'pending',
  amount: '25.55',
  currency: 'USD',
  refundedAmount: '0.00',
  saleId: null,
  customerId: 'cus_42',
  cardId: null,
  subscriptionId: null,
  card: null,
  orderId: null,
  description: null,
  gateway: null,
  failureCode: null,
  cardSaveFailed: false,
  createdAt: T0,
};
const pending = {
  error: { type: 'gateway_error', code: 'outcome_unknown', message: 'Retry' },
  transaction: sale,
};
const card = {
  id: 'card_1',
  customerId: 'cus_42',
  brand: 'VISA',
  last4: '1111',
  expDate: '1228',
  createdAt: T0,
};

describe('Function: checkAnswer', () => {
  it('passes an answer the document describes, headers included', () => {
    expect(() =>
      checkAnswer('POST', '/v1/sales/token', {
        status: 504,
        headers: { ...json, 'retry-after': '120' },
        text: JSON.stringify(pending),
      }),
    ).not.toThrow();
    expect(() =>
      checkAnswer('DELETE', '/v1/customers/cus_42/cards/card_1', { status: 204, headers: {}, text: '' }),
    ).not.toThrow();
  });

  it('fails a status the document does not list for the route, naming the route and the status', () => {
    expect(() =>
      checkAnswer('GET', '/v1/transactions/txn_1?expand=1', {
        status: 418,
        headers: json,
        text: '{}',
      }),
    ).toThrow(
      new UndocumentedAnswerError(
        'GET /v1/transactions/{transactionId} answered 418: the OpenAPI document lists only 200, 400, 401, ' +
          '404, 429, 500 for this route\n  body: {}',
      ),
    );
  });

  it('fails a body that does not match, naming the field', () => {
    // Prepare: a card that shows its Clearent token id
    const leaky = { data: [{ ...card, tokenId: 'tok_secret' }] };

    // Act & Assess
    expect(() =>
      checkAnswer('GET', '/v1/customers/cus_42/cards', {
        status: 200,
        headers: json,
        text: JSON.stringify(leaky),
      }),
    ).toThrow(
      /GET \/v1\/customers\/\{customerId\}\/cards answered 200: the body does not match[\s\S]*\/data\/0 must NOT have additional properties \{"additionalProperty":"tokenId"\}/,
    );
  });

  it('fails an answer without a required header, or with a malformed one', () => {
    const answer = { status: 504, text: JSON.stringify(pending) };
    expect(() => checkAnswer('POST', '/v1/refunds', { ...answer, headers: json })).toThrow(
      /POST \/v1\/refunds answered 504: the required header Retry-After is missing/,
    );
    expect(() =>
      checkAnswer('POST', '/v1/refunds', { ...answer, headers: { ...json, 'retry-after': 'soon' } }),
    ).toThrow(/header Retry-After: "soon" does not match its schema/);
  });

  it('fails an answer carrying a header the document does not declare for it', () => {
    expect(() =>
      checkAnswer('GET', '/v1/customers/cus_42/cards', {
        status: 200,
        headers: { ...json, 'idempotent-replayed': 'true' },
        text: JSON.stringify({ data: [card] }),
      }),
    ).toThrow(/carries the header idempotent-replayed, which the OpenAPI document does not declare/);
  });

  it('fails an error of the wrong type for its status', () => {
    const body = { error: { type: 'api_error', code: 'x', message: 'y' } };
    expect(() =>
      checkAnswer('GET', '/v1/events', { status: 401, headers: json, text: JSON.stringify(body) }),
    ).toThrow(/GET \/v1\/events answered 401: the body does not match/);
  });

  it('fails a body where the document has none, and a body that is not JSON', () => {
    expect(() =>
      checkAnswer('DELETE', '/v1/webhook-endpoints/we_1', { status: 204, headers: json, text: '{}' }),
    ).toThrow(/has no body, but it has one/);
    expect(() => checkAnswer('GET', '/health', { status: 200, headers: json, text: 'ok' })).toThrow(
      /the body is not JSON/,
    );
    expect(() =>
      checkAnswer('GET', '/health', { status: 200, headers: { 'content-type': 'text/plain' }, text: '{}' }),
    ).toThrow(/content-type is "text\/plain"/);
  });

  it('fails a request no route matches, and leaves local-only routes alone', () => {
    expect(() => checkAnswer('GET', '/v2/nothing', { status: 404, headers: json, text: '{}' })).toThrow(
      /GET \/v2\/nothing answered 404: no route of the OpenAPI document matches/,
    );
    expect(() =>
      checkAnswer('POST', '/_local/run-recurring', { status: 200, headers: json, text: '{"anything":1}' }),
    ).not.toThrow();
  });
});

describe('Function: checkWebhook', () => {
  const headers = {
    'webhook-id': 'evt_1',
    'webhook-timestamp': '1795000000',
    'webhook-signature': 'v1,abc=',
  };
  const event = { id: 'evt_1', type: 'card.saved', createdAt: T0, data: { object: card } };

  it('passes a delivery the document describes', () => {
    expect(() => checkWebhook(headers, JSON.stringify(event))).not.toThrow();
  });

  it('fails an event whose object is not the one its type carries', () => {
    const wrong = { ...event, type: 'sale.approved' };
    expect(() => checkWebhook(headers, JSON.stringify(wrong))).toThrow(
      /a webhook delivery of sale.approved does not match the OpenAPI document/,
    );
  });

  it('fails a delivery without its signature header', () => {
    const { 'webhook-signature': _signature, ...unsigned } = headers;
    expect(() => checkWebhook(unsigned, JSON.stringify(event))).toThrow(
      /a webhook delivery of card.saved lacks the header webhook-signature/,
    );
  });
});
