/**
 * The answer a storefront gets for a transaction, from its status alone (contract, Errors).
 */
import { parseAmount } from '../../../shared/money';
import type { Transaction } from '../../../shared/payments/transaction';
import { transactionResponse } from '../../../shared/payments/transaction-response';

const BASE: Transaction = {
  id: 'txn_1',
  storefrontId: 'sf_a',
  type: 'sale',
  status: 'approved',
  amount: parseAmount('25.00'),
  refunded: parseAmount('0.00'),
  createdAt: '2026-11-24T10:00:00.000Z',
};

const answerOf = (overrides: Partial<Transaction>) => {
  const response = transactionResponse({ ...BASE, ...overrides });
  return { statusCode: response.statusCode, body: JSON.parse(response.body) };
};

describe('Function: transactionResponse', () => {
  it('answers an approval 201 with the transaction alone', () => {
    const { statusCode, body } = answerOf({});

    expect(statusCode).toBe(201);
    expect(body).toMatchObject({ id: 'txn_1', status: 'approved', amount: '25.00', failureCode: null });
    expect(body.error).toBeUndefined();
  });

  it("answers a decline 402 with Clearent's message and result code, or plain words when it gave none", () => {
    const told = answerOf({
      status: 'declined',
      gateway: { resultCode: '012', message: 'Not Sufficient Funds' },
    });
    const silent = answerOf({ status: 'declined' });

    expect(told).toEqual({
      statusCode: 402,
      body: {
        error: {
          type: 'card_error',
          code: 'card_declined',
          message: 'Not Sufficient Funds',
          declineCode: '012',
        },
        transaction: expect.objectContaining({ status: 'declined' }),
      },
    });
    expect(silent.body.error).toEqual({
      type: 'card_error',
      code: 'card_declined',
      message: 'The card was declined',
      declineCode: 'unknown',
    });
  });

  it('answers pending 504 outcome_unknown, telling the storefront to retry with the same key', () => {
    const { statusCode, body } = answerOf({ status: 'pending' });

    expect(statusCode).toBe(504);
    expect(body.error).toEqual({
      type: 'gateway_error',
      code: 'outcome_unknown',
      message:
        'The outcome at the card gateway is not known yet. Retry with the same Idempotency-Key after ' +
        'Retry-After seconds to resolve it; it will not be charged twice',
    });
    expect(body.transaction).toMatchObject({ status: 'pending' });
  });

  it.each([
    ['its result code', { resultCode: '041', message: 'Invalid mobile JWT' }],
    ['its message', { resultCode: '002', message: 'Mobile JWT has expired' }],
  ])('answers a JWT the gateway refused, known by %s, 400 invalid_jwt naming jwt', (_name, gateway) => {
    const { statusCode, body } = answerOf({
      status: 'failed',
      failureCode: 'gateway_rejected_request',
      cardSource: 'jwt',
      gateway,
    });

    expect(statusCode).toBe(400);
    expect(body.error).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_jwt',
      param: 'jwt',
      message: `The card gateway refused the jwt (${gateway.message}); nothing was charged. Get a fresh one and send it under a new Idempotency-Key`,
    });
  });

  it.each([
    [
      'a saved card rejected with a JWT-like code',
      { cardSource: 'saved_card' as const, gateway: { resultCode: '041', message: 'Invalid mobile JWT' } },
    ],
    [
      'a JWT sale rejected for another reason',
      { cardSource: 'jwt' as const, gateway: { resultCode: '011', message: 'Invalid Request' } },
    ],
  ])('answers %s 502 gateway_rejected_request, with the reason', (_name, overrides) => {
    const { statusCode, body } = answerOf({
      status: 'failed',
      failureCode: 'gateway_rejected_request',
      ...overrides,
    });

    expect(statusCode).toBe(502);
    expect(body.error).toEqual({
      type: 'gateway_error',
      code: 'gateway_rejected_request',
      message: `The card gateway rejected the request; nothing was charged (${overrides.gateway.message})`,
    });
  });

  it.each(['gateway_unavailable', 'gateway_authentication_failed', 'not_charged'] as const)(
    'answers %s 502, saying the same key may be retried, without a reason',
    (failureCode) => {
      const { statusCode, body } = answerOf({
        status: 'failed',
        failureCode,
        gateway: { message: 'ignored' },
      });

      expect(statusCode).toBe(502);
      expect(body.error.code).toBe(failureCode);
      expect(body.error.message).toContain('Retry with the same Idempotency-Key');
      expect(body.error.message).not.toContain('ignored');
      expect(body.transaction).toMatchObject({ failureCode });
    },
  );
});
