/**
 * Sales and refunds as a storefront's requests make them (under an Idempotency-Key), on in-memory ports
 * and a fake gateway, for the money-movement tests.
 */
import { type Cents, cents, parseAmount } from '../../../shared/money';
import type { Card } from '../../../shared/payments/card';
import { type IdempotentResponse, runIdempotent } from '../../../shared/payments/idempotent-operation';
import { refund } from '../../../shared/payments/refund';
import { jwtSale, tokenSale } from '../../../shared/payments/sale';
import type { Transaction } from '../../../shared/payments/transaction';
import type { TestPorts } from '../../support/memory-ports';
import { testCard } from '../../support/subscription-fixtures';

export const STOREFRONT = 'sf_a';
export const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJjYXJkIjoiZmFrZSJ9.c2lnbmF0dXJl';
export const CARD_TOKEN = '1100000900023211111';
export { SETTLE_WINDOW_MS } from '../../support/memory-ports';

export async function addCard(ports: TestPorts, overrides: Partial<Card> = {}): Promise<Card> {
  const card = testCard({ tokenId: CARD_TOKEN, expDate: '1229', ...overrides });
  await ports.cards.add(card);
  return card;
}

/** `POST /v1/sales/token` for 10.00 to `card_1`. */
export const sellWithCard = (ports: TestPorts, key = 'sale-1', amount = '10.00') =>
  runIdempotent(
    ports,
    {
      storefrontId: STOREFRONT,
      key,
      route: 'POST /v1/sales/token',
      requestHash: `h-${key}`,
      idPrefix: 'txn',
    },
    tokenSale(ports, {
      storefrontId: STOREFRONT,
      amount: parseAmount(amount),
      customerId: 'cus_42',
      cardId: 'card_1',
    }),
  );

/** `POST /v1/sales/jwt` for 25.55, saving the card to `cus_42`. */
export const sellWithJwt = (ports: TestPorts, key = 'jwt-1') =>
  runIdempotent(
    ports,
    { storefrontId: STOREFRONT, key, route: 'POST /v1/sales/jwt', requestHash: `h-${key}`, idPrefix: 'txn' },
    jwtSale(ports, {
      storefrontId: STOREFRONT,
      amount: parseAmount('25.55'),
      jwt: JWT,
      customerId: 'cus_42',
      saveCard: true,
    }),
  );

/** `POST /v1/refunds` of `amount` (all that remains when undefined). */
export const refundOf = (ports: TestPorts, saleId: string, amount: Cents | undefined, key = 'refund-1') =>
  runIdempotent(
    ports,
    { storefrontId: STOREFRONT, key, route: 'POST /v1/refunds', requestHash: `h-${key}`, idPrefix: 'txn' },
    refund(ports, { storefrontId: STOREFRONT, saleId, amount }),
  );

/** An approved 100.00 sale `txn_sale`, Clearent's `118810621`. */
export function approvedSale(ports: TestPorts, overrides: Partial<Transaction> = {}): Transaction {
  const sale: Transaction = {
    id: 'txn_sale',
    storefrontId: STOREFRONT,
    type: 'sale',
    status: 'approved',
    amount: parseAmount('100.00'),
    refunded: cents(0),
    customerId: 'cus_42',
    cardId: 'card_1',
    card: { brand: 'VISA', last4: '1111', expDate: '1229' },
    gateway: { transactionId: '118810621', resultCode: '000' },
    createdAt: '2026-11-24T09:00:00.000Z',
    sendCount: 1,
    lastSentAt: '2026-11-24T09:00:00.000Z',
    ...overrides,
  };
  ports.transactions.seed(sale);
  return sale;
}

export const bodyOf = (response: Pick<IdempotentResponse, 'body'>) => JSON.parse(response.body);
export const operations = (ports: TestPorts) => ports.fakeGateway.calls.map((call) => call.operation);
export const stored = (ports: TestPorts, id: string) => ports.transactions.get(STOREFRONT, id);
export const keyRecord = (ports: TestPorts, key: string) =>
  ports.idempotency.records.get(`${STOREFRONT}/${key}`);
