import { parseAmount } from '../../../shared/money';
import { runIdempotent } from '../../../shared/payments/idempotent-operation';
import { tokenSale } from '../../../shared/payments/sale';
import { notReached } from '../../support/fake-gateway';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';

const bodyOf = (response: { body: string }) => JSON.parse(response.body);

describe('Function: tokenSale', () => {
  async function withCard(ports: TestPorts, status: 'active' | 'removed' = 'active') {
    await ports.cards.add({
      id: 'card_1',
      storefrontId: 'sf_a',
      customerId: 'cus_42',
      tokenId: '1100000900023211111',
      brand: 'VISA',
      last4: '1111',
      expDate: '1229',
      status,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
  }

  const charge = (ports: TestPorts, cardId = 'card_1', key = 'token-key') =>
    runIdempotent(
      ports,
      { storefrontId: 'sf_a', key, route: 'POST /v1/sales/token', requestHash: 'h', idPrefix: 'txn' },
      tokenSale(ports, { storefrontId: 'sf_a', amount: parseAmount('1.00'), customerId: 'cus_42', cardId }),
    );

  it('charges the stored token with its expiry and records the card on the sale', async () => {
    const ports = memoryPorts();
    await withCard(ports);

    const response = await charge(ports);

    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({
      amount: '1.00',
      cardId: 'card_1',
      customerId: 'cus_42',
      status: 'approved',
    });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'tokenSale',
        request: expect.objectContaining({
          tokenId: '1100000900023211111',
          expDate: '1229',
          amount: 100,
          invoice: 'txn_000001',
        }),
      },
    ]);
  });

  it.each(['missing', 'removed'] as const)(
    'answers 404 for a %s card, charges nothing, and replays the 404',
    async (state) => {
      const ports = memoryPorts();
      if (state === 'removed') await withCard(ports, 'removed');

      const first = await charge(ports);
      const replay = await charge(ports);

      expect(first.statusCode).toBe(404);
      expect(bodyOf(first)).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: 'No such card',
          param: 'cardId',
        },
      });
      expect(replay).toEqual({ ...first, replayed: true });
      expect(ports.fakeGateway.calls).toHaveLength(0);
      expect(ports.transactions.items.size).toBe(0);
    },
  );

  it('costs three writes on the happy path: the idempotency claim, the begin and the settle of the transaction', async () => {
    // Prepare
    const ports = memoryPorts();
    await withCard(ports);

    // Act
    await charge(ports);

    // Assess
    expect(ports.idempotency.writes).toBe(1);
    expect(ports.transactions.saves).toBe(2);
    expect(await ports.transactions.get('sf_a', 'txn_000001')).toMatchObject({
      status: 'approved',
      cardSource: 'saved_card',
      sendCount: 1,
      response: { statusCode: 201 },
    });
  });

  it('refuses a card removed before a resend of an attempt known not charged: 404, nothing sent again', async () => {
    // Prepare: the first send never reached Clearent; the card is removed before the retry.
    const ports = memoryPorts();
    await withCard(ports);
    ports.fakeGateway.script(notReached());
    const first = await charge(ports);
    await ports.cards.markRemoved('sf_a', 'cus_42', 'card_1', '2026-11-24T10:00:30.000Z');

    // Act
    const retry = await charge(ports);
    const replay = await charge(ports);

    // Assess
    expect(first.statusCode).toBe(502);
    expect(retry.statusCode).toBe(404);
    expect(bodyOf(retry).error).toMatchObject({ code: 'resource_missing', param: 'cardId' });
    expect(replay).toEqual({ ...retry, replayed: true });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
    expect(await ports.transactions.get('sf_a', 'txn_000001')).toMatchObject({
      status: 'failed',
      failureCode: 'gateway_unavailable',
    });
  });
});
