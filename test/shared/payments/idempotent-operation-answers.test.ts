/**
 * runIdempotent's answers around its lock and its key's expiry: a key in use, a key reused for another
 * route, and what each kind of outcome does to the key.
 */
import { IdempotencyInProgressError, IdempotencyMismatchError } from '../../../shared/http/errors';
import { parseAmount } from '../../../shared/money';
import {
  type IdempotentOperation,
  type IdempotentRequest,
  runIdempotent,
} from '../../../shared/payments/idempotent-operation';
import type { Transaction } from '../../../shared/payments/transaction';
import { memoryPorts } from '../../support/memory-ports';

const REQUEST: IdempotentRequest = {
  storefrontId: 'sf_a',
  key: 'key-1',
  route: 'POST /v1/sales/token',
  requestHash: 'hash-1',
  idPrefix: 'txn',
};

const transactionAs =
  (status: Transaction['status'], failureCode?: Transaction['failureCode']) =>
  (id: string): Transaction => ({
    id,
    storefrontId: 'sf_a',
    type: 'sale',
    status,
    ...(failureCode ? { failureCode } : {}),
    amount: parseAmount('10.00'),
    refunded: parseAmount('0.00'),
    createdAt: '2026-11-24T10:00:00.000Z',
    sendCount: 1,
    lastSentAt: '2026-11-24T10:00:00.000Z',
  });

const answering = (transaction: (id: string) => Transaction): IdempotentOperation => ({
  run: async (id) => ({ transaction: transaction(id) }),
});

describe('Function: runIdempotent, its lock', () => {
  it('answers 409 to the same key while the first request runs, for the whole lock', async () => {
    // Prepare: the first request is still running when the second arrives.
    const ports = memoryPorts();
    let finish: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const slow: IdempotentOperation = {
      run: async (id) => {
        await running;
        return { transaction: transactionAs('approved')(id) };
      },
    };
    const first = runIdempotent(ports, REQUEST, slow);
    await new Promise((resolve) => setImmediate(resolve));

    // Act
    const second = runIdempotent(ports, REQUEST, answering(transactionAs('approved')));
    await expect(second).rejects.toBeInstanceOf(IdempotencyInProgressError);
    const refusal = await second.catch((error: IdempotencyInProgressError) => error);
    ports.advance(ports.timing.lockMs - 1);
    const stillRefused = runIdempotent(ports, REQUEST, answering(transactionAs('approved')));
    finish();

    // Assess
    expect(refusal).toMatchObject({ headers: { 'retry-after': String(ports.timing.lockMs / 1000) } });
    await expect(stillRefused).rejects.toBeInstanceOf(IdempotencyInProgressError);
    expect((await first).statusCode).toBe(201);
  });

  it('refuses the same key on another route with 422, even with the same body', async () => {
    const ports = memoryPorts();
    await runIdempotent(ports, REQUEST, answering(transactionAs('approved')));

    const reused = runIdempotent(
      ports,
      { ...REQUEST, route: 'POST /v1/refunds' },
      answering(transactionAs('approved')),
    );

    await expect(reused).rejects.toBeInstanceOf(IdempotencyMismatchError);
  });
});

describe('Function: runIdempotent, what an outcome does to its key', () => {
  it.each([
    ['pending', transactionAs('pending'), 504, false, true],
    ['known not charged', transactionAs('failed', 'gateway_unavailable'), 502, true, false],
  ])(
    'answers a %s transaction without storing it, its key expiring only once known',
    async (_name, outcome, status, expires, retryAfter) => {
      const ports = memoryPorts();

      const response = await runIdempotent(ports, REQUEST, answering(outcome));

      expect(response.statusCode).toBe(status);
      expect(response.headers?.['retry-after'] !== undefined).toBe(retryAfter);
      expect(ports.idempotency.records.get('sf_a/key-1')).toMatchObject({ state: 'released', expires });
    },
  );
});
