import {
  type CardResource,
  type ErrorAnswer,
  gatewayRequestTotal,
  NO_SUCH_CARD,
  startApi,
  type TestApi,
  unique,
} from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const tokenOf = (saleId: string): string | undefined =>
  api.sandbox.ledger.chargesForInvoice(saleId)[0]?.tokenId;

describe('Function: cards handler', () => {
  it("lists a customer's saved cards (200) without their Clearent token ids", async () => {
    // Prepare
    const first = await api.saveCard();
    const second = await api.saveCard(first.customerId);

    // Act
    const response = await api.get(`/v1/customers/${first.customerId}/cards`);

    // Assess
    expect(response.status).toBe(200);
    const { data } = response.json<{ data: CardResource[] }>();
    expect(data.map((card) => card.id).sort()).toEqual([first.cardId, second.cardId].sort());
    for (const card of data) {
      expect(card).toEqual({
        id: expect.stringMatching(/^card_/),
        customerId: first.customerId,
        brand: 'VISA',
        last4: '1111',
        expDate: '1228',
        createdAt: expect.any(String),
      });
    }
    for (const sale of [first.sale, second.sale]) expect(response.text).not.toContain(tokenOf(sale.id));
  });

  it('answers an empty list for a customer with no cards', async () => {
    // Act
    const response = await api.get(`/v1/customers/${unique('cus')}/cards`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ data: [] });
  });

  it('deletes a card (204): the token is deleted at Clearent, the card is no longer listed or chargeable', async () => {
    // Prepare
    const { customerId, cardId, sale } = await api.saveCard();
    const tokenId = tokenOf(sale.id);
    const chargesBefore = api.sandbox.ledger.chargeCount;

    // Act
    const deleted = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const listed = await api.get(`/v1/customers/${customerId}/cards`);
    const charged = await api.post('/v1/sales/token', { amount: '1.00', customerId, cardId });

    // Assess
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(api.sandbox.ledger.tokens.find((token) => token.tokenId === tokenId)?.deleted).toBe(true);
    expect(listed.json()).toEqual({ data: [] });
    expect(charged.status).toBe(404);
    expect(charged.json<ErrorAnswer>().error).toMatchObject({ code: 'resource_missing', param: 'cardId' });
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
    const stored = await api.store.cards.get('shopA', customerId, cardId);
    expect(stored).toMatchObject({ status: 'removed', removedAt: expect.any(String) });
    expect(stored?.tokenId).toBeUndefined();
  });

  it('answers 404 for a card already deleted or never saved, sending nothing', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    const again = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const unknown = await api.delete(`/v1/customers/${customerId}/cards/card_doesNotExist`);

    // Assess
    for (const response of [again, unknown]) {
      expect(response.status).toBe(404);
      expect(response.json<ErrorAnswer>()).toEqual(NO_SUCH_CARD);
    }
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
  });

  it('keeps the card when Clearent cannot delete its token (502), and a retry deletes it', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    api.sandbox.injectFault({ kind: 'http-error', status: 503, match: { operation: 'delete-token' } });

    // Act
    const failed = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);
    const listedAfterFailure = await api.get(`/v1/customers/${customerId}/cards`);
    const retried = await api.delete(`/v1/customers/${customerId}/cards/${cardId}`);

    // Assess
    expect(failed.status).toBe(502);
    expect(failed.json<ErrorAnswer>().error).toMatchObject({
      type: 'gateway_error',
      code: 'gateway_unavailable',
    });
    expect(listedAfterFailure.json<{ data: CardResource[] }>().data.map((card) => card.id)).toEqual([cardId]);
    expect(retried.status).toBe(204);
  });

  it.each([
    ['a malformed customerId', '/v1/customers/%20bad/cards', 'customerId'],
    ['a malformed cardId', '/v1/customers/cus_1/cards/tok_1', 'cardId'],
  ])('answers 400 for %s', async (_case, path, param) => {
    // Act
    const response = path.endsWith('/cards') ? await api.get(path) : await api.delete(path);

    // Assess
    expect(response.status).toBe(400);
    expect(response.json<ErrorAnswer>().error).toMatchObject({ type: 'invalid_request_error', param });
  });
});
