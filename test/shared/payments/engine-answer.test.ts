/**
 * What one gateway answer means for an attempt (docs/money-movement.md, "Check every answer"), one
 * answer at a time: the pure half of the engine.
 */
import {
  GatewayAuthenticationError,
  GatewayInvalidRequestError,
  GatewayOutcomeUnknownError,
  GatewayUnavailableError,
} from '../../../shared/clearent/errors';
import type { GatewayTransaction } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';
import { outcomeOfAnswer, outcomeOfFailure, withGatewayRecord } from '../../../shared/payments/engine/answer';
import type { Transaction } from '../../../shared/payments/transaction';

const SENT: Transaction = {
  id: 'txn_sent',
  storefrontId: 'sf_a',
  type: 'sale',
  status: 'pending',
  amount: parseAmount('25.00'),
  refunded: parseAmount('0.00'),
  card: { brand: 'VISA', last4: '1111', expDate: '1228' },
  createdAt: '2026-11-24T10:00:00.000Z',
  sendCount: 1,
};

const answer = (fields: Partial<GatewayTransaction> = {}): GatewayTransaction => ({
  outcome: 'approved',
  type: 'SALE',
  transactionId: '9001',
  amount: SENT.amount,
  invoice: SENT.id,
  authorizationCode: 'AUTH01',
  resultCode: '000',
  message: 'Transaction approved',
  exchangeId: 'ID-1',
  card: {},
  ...fields,
});

describe('Function: withGatewayRecord', () => {
  it('keeps the card we sent where the gateway says nothing, and takes what it says', () => {
    // Act
    const silent = withGatewayRecord(SENT, answer());
    const speaking = withGatewayRecord(
      SENT,
      answer({ card: { brand: 'MASTERCARD', last4: '4444', expDate: '0130' } }),
    );

    // Assess
    expect(silent.card).toEqual({ brand: 'VISA', last4: '1111', expDate: '1228' });
    expect(speaking.card).toEqual({ brand: 'MASTERCARD', last4: '4444', expDate: '0130' });
    expect(SENT.card).toEqual({ brand: 'VISA', last4: '1111', expDate: '1228' });
    expect(speaking.gateway).toEqual({
      transactionId: '9001',
      authorizationCode: 'AUTH01',
      resultCode: '000',
      message: 'Transaction approved',
      exchangeId: 'ID-1',
    });
  });
});

describe('Function: outcomeOfAnswer', () => {
  it('records an approval for our invoice and amount, with the token it created', () => {
    // Act
    const outcome = outcomeOfAnswer(SENT, answer({ tokenId: '1100000011111' }));

    // Assess
    expect(outcome).toMatchObject({
      kind: 'final',
      tokenId: '1100000011111',
      transaction: { status: 'approved', gateway: { transactionId: '9001' } },
    });
  });

  it.each([
    ['another invoice', { invoice: 'txn_earlier' }],
    ['our invoice but another amount', { amount: parseAmount('25.01') }],
  ])('declines, as a duplicate answer, an approval for %s: nothing charged for ours', (_name, fields) => {
    // Act
    const outcome = outcomeOfAnswer(SENT, answer(fields));

    // Assess
    expect(outcome).toEqual({
      kind: 'final',
      transaction: expect.objectContaining({
        status: 'declined',
        gateway: {
          resultCode: 'duplicate',
          message: 'The gateway answered with an earlier transaction (duplicate check): nothing was charged',
          exchangeId: 'ID-1',
        },
      }),
    });
  });

  it('leaves an approval that names no invoice to the search by invoice', () => {
    expect(outcomeOfAnswer(SENT, answer({ invoice: undefined }))).toEqual({ kind: 'unknown' });
  });

  it('records a decline as it is, whatever invoice it names', () => {
    // Act
    const outcome = outcomeOfAnswer(
      SENT,
      answer({ outcome: 'declined', resultCode: '012', invoice: 'txn_x' }),
    );

    // Assess
    expect(outcome).toMatchObject({
      kind: 'final',
      transaction: { status: 'declined', gateway: { resultCode: '012' } },
    });
  });
});

describe('Function: outcomeOfFailure', () => {
  const details = { httpStatus: 503, resultCode: '050', exchangeId: 'ID-2' };

  it.each([
    ['the gateway was not reached', new GatewayUnavailableError('refused', details), 'gateway_unavailable'],
    [
      'our credentials were refused',
      new GatewayAuthenticationError('401', details),
      'gateway_authentication_failed',
    ],
  ])('knows nothing moved when %s, and keeps what the gateway said', (_name, error, failureCode) => {
    // Act
    const outcome = outcomeOfFailure(SENT, error);

    // Assess
    expect(outcome).toEqual({
      kind: 'not-moved',
      transaction: expect.objectContaining({
        status: 'failed',
        failureCode,
        gateway: { exchangeId: 'ID-2', resultCode: '050' },
      }),
    });
  });

  it('settles a rejected request as failed, with the gateway reason', () => {
    // Act
    const outcome = outcomeOfFailure(
      SENT,
      new GatewayInvalidRequestError('Mobile JWT has already been used', details),
    );

    // Assess
    expect(outcome).toMatchObject({
      kind: 'final',
      transaction: {
        status: 'failed',
        failureCode: 'gateway_rejected_request',
        gateway: { message: 'Mobile JWT has already been used', resultCode: '050' },
      },
    });
  });

  it('knows nothing when the outcome is unknown', () => {
    expect(outcomeOfFailure(SENT, new GatewayOutcomeUnknownError('timeout'))).toEqual({ kind: 'unknown' });
  });
});
