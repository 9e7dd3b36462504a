/**
 * Sales to store, for the transaction stores' tests: each call a new id and a later `createdAt`. One
 * maker per engine (`describe.each`), so that both engines see the same ids and times (the seconds of
 * `createdAt` stay under 60).
 */
import { cents, parseAmount } from '../../../shared/money';
import type { Transaction } from '../../../shared/payments/transaction';

export function saleMaker(): (overrides?: Partial<Transaction>) => Transaction {
  let sequence = 0;
  return (overrides = {}) => {
    sequence += 1;
    return {
      id: `txn_s${sequence}`,
      storefrontId: 'sf_store',
      type: 'sale',
      status: 'approved',
      amount: parseAmount('100.00'),
      refunded: cents(0),
      createdAt: `2026-11-24T10:00:${String(sequence).padStart(2, '0')}.000Z`,
      ...overrides,
    };
  };
}
