/**
 * Tenant isolation through the real handlers: what storefront A created is, for storefront B, exactly
 * like something that does not exist (same status, same body), and B can never move A's money.
 */
import {
  type SavedCard,
  shopB,
  startApi,
  type TestApi,
  type TransactionList,
  type TransactionResource,
  unique,
} from './support/api';

let api: TestApi;
/** Shop A's customer, card and the sale that saved it. */
let ofA: SavedCard;

const asB = { apiKey: shopB.apiKey };

beforeAll(async () => {
  api = await startApi();
  ofA = await api.saveCard();
});
afterAll(() => api.close());

describe('Function: every /v1 handler, across storefronts', () => {
  it("answers B reading A's transaction exactly as an unknown one (404)", async () => {
    // Act
    const foreign = await api.get(`/v1/transactions/${ofA.sale.id}`, asB);
    const unknown = await api.get('/v1/transactions/txn_doesNotExist', asB);

    // Assess
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
  });

  it("shows B none of A's transactions, by customer or in its own timeline", async () => {
    // Act
    const byCustomer = await api.get(`/v1/transactions?customerId=${ofA.customerId}`, asB);
    const timeline = await api.get('/v1/transactions?limit=100', asB);
    const ofOwnCustomer = await api.get(`/v1/transactions?customerId=${ofA.customerId}`);

    // Assess
    expect(byCustomer.status).toBe(200);
    expect(byCustomer.json()).toEqual({ data: [], nextCursor: null });
    const ids = timeline.json<TransactionList>().data.map((transaction) => transaction.id);
    expect(ids).not.toContain(ofA.sale.id);
    expect(ofOwnCustomer.json<TransactionList>().data.map((transaction) => transaction.id)).toEqual([
      ofA.sale.id,
    ]);
  });

  it("refuses A's cursor to B (400), so paging cannot cross storefronts", async () => {
    // Prepare
    const customerId = unique('cus');
    for (const amount of ['1.00', '2.00']) await api.jwtSale(amount, { customerId, saveCard: false });
    const page = await api.get(`/v1/transactions?customerId=${customerId}&limit=1`);
    const cursor = encodeURIComponent(page.json<TransactionList>().nextCursor ?? '');

    // Act
    const response = await api.get(`/v1/transactions?customerId=${customerId}&cursor=${cursor}`, asB);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
  });

  it("lists A's customer's cards to B exactly as an unknown customer's: none", async () => {
    // Act
    const foreign = await api.get(`/v1/customers/${ofA.customerId}/cards`, asB);
    const unknown = await api.get(`/v1/customers/${unique('cus')}/cards`, asB);

    // Assess
    expect(foreign.status).toBe(200);
    expect(foreign.json()).toEqual({ data: [] });
    expect(foreign.text).toBe(unknown.text);
  });

  it("answers B refunding A's sale exactly as an unknown sale (404), refunding nothing", async () => {
    // Prepare
    const requestsBefore = api.sandbox.ledger.transactions.length;

    // Act
    const foreign = await api.post('/v1/refunds', { transactionId: ofA.sale.id }, asB);
    const unknown = await api.post('/v1/refunds', { transactionId: 'txn_doesNotExist' }, asB);

    // Assess
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    expect(api.sandbox.ledger.transactions.length).toBe(requestsBefore);
    expect(await api.store.transactions.get('shopA', ofA.sale.id)).toMatchObject({ refunded: 0 });
  });

  it("answers B charging A's card exactly as an unknown card (404), charging nothing", async () => {
    // Prepare
    const chargesBefore = api.sandbox.ledger.chargeCount;
    const body = { amount: '50.00', customerId: ofA.customerId, cardId: ofA.cardId };

    // Act
    const foreign = await api.post('/v1/sales/token', body, asB);
    const unknown = await api.post('/v1/sales/token', { ...body, cardId: 'card_doesNotExist' }, asB);

    // Assess
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
  });

  it("answers B deleting A's card 404, and the card stays A's and chargeable", async () => {
    // Prepare
    const tokenId = api.sandbox.ledger.chargesForInvoice(ofA.sale.id)[0]?.tokenId;

    // Act
    const foreign = await api.delete(`/v1/customers/${ofA.customerId}/cards/${ofA.cardId}`, asB);
    const unknown = await api.delete(`/v1/customers/${ofA.customerId}/cards/card_doesNotExist`, asB);
    const charged = await api.post('/v1/sales/token', {
      amount: '2.00',
      customerId: ofA.customerId,
      cardId: ofA.cardId,
    });

    // Assess
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    expect(api.sandbox.ledger.tokens.find((token) => token.tokenId === tokenId)?.deleted).toBe(false);
    expect(charged.status).toBe(201);
  });

  it("scopes Idempotency-Keys to the storefront: B's request under A's key is B's own", async () => {
    // Prepare
    const key = unique('idem');
    const first = await api.jwtSale('6.00', {}, { key });

    // Act
    const ofB = await api.jwtSale('6.00', {}, { key, ...asB });

    // Assess
    expect(first.status).toBe(201);
    expect(ofB.status).toBe(201);
    expect(ofB.headers['idempotent-replayed']).toBeUndefined();
    const [saleOfA, saleOfB] = [first, ofB].map((response) => response.json<TransactionResource>().id);
    expect(saleOfB).not.toBe(saleOfA);
    expect((await api.get(`/v1/transactions/${saleOfB}`, asB)).status).toBe(200);
    expect((await api.get(`/v1/transactions/${saleOfB}`)).status).toBe(404);
  });
});
