/**
 * Sales: by the one-time JWT from Clearent's browser SDK (saving the card it creates), or by a stored
 * card. Both run under `runIdempotent`; both resolve an unknown outcome at the gateway, by our
 * transaction id sent as `invoice`, before they ever send the sale again.
 */
import { GatewayError } from '../clearent/errors';
import type { GatewayTransaction } from '../clearent/types';
import { NotFoundError } from '../http/errors';
import { type Cents, cents } from '../money';
import type { Card } from './card';
import { applyGatewayResult, pickRecorded, sendToGateway } from './gateway-outcome';
import type { IdempotentOperation } from './idempotent-operation';
import type { PaymentsPorts } from './ports';
import { recordAttempt as record } from './record-attempt';
import { isSettled, type Transaction } from './transaction';

interface SaleFields {
  storefrontId: string;
  amount: Cents;
  orderId?: string;
  description?: string;
}

export interface JwtSaleInput extends SaleFields {
  /** One-time token from the browser SDK; never stored or logged. */
  jwt: string;
  customerId?: string;
  /** Save the card to `customerId` (default true when a customer is given). */
  saveCard: boolean;
}

export interface TokenSaleInput extends SaleFields {
  customerId: string;
  cardId: string;
  subscriptionId?: string;
}

/** How to charge one sale: its starting state, and the gateway request that charges it. */
interface PreparedSale {
  draft: Transaction;
  send: (gateway: GatewayPort) => Promise<GatewayTransaction>;
}

type GatewayPort = Awaited<ReturnType<PaymentsPorts['gateway']>>;
type Prepare = (id: string, createdAt: string) => Promise<PreparedSale>;

export function jwtSale(ports: PaymentsPorts, input: JwtSaleInput): IdempotentOperation {
  const saveCard = input.saveCard && input.customerId !== undefined;
  return saleOperation(ports, input.storefrontId, async (id, createdAt) => ({
    draft: { ...draftSale(input, id, createdAt), customerId: input.customerId, saveCard },
    send: (gateway) =>
      gateway.jwtSale({
        jwt: input.jwt,
        amount: input.amount,
        createToken: saveCard,
        invoice: id,
        orderId: input.orderId,
        description: input.description,
        customerId: input.customerId,
      }),
  }));
}

export function tokenSale(ports: PaymentsPorts, input: TokenSaleInput): IdempotentOperation {
  return saleOperation(ports, input.storefrontId, async (id, createdAt) => {
    const card = await activeCard(ports, input);
    return {
      draft: {
        ...draftSale(input, id, createdAt),
        customerId: input.customerId,
        cardId: card.id,
        subscriptionId: input.subscriptionId,
        card: { brand: card.brand, last4: card.last4, expDate: card.expDate },
      },
      send: (gateway) =>
        gateway.tokenSale({
          tokenId: card.tokenId,
          expDate: card.expDate ?? '',
          amount: input.amount,
          invoice: id,
          orderId: input.orderId,
          description: input.description,
          customerId: input.customerId,
        }),
    };
  });
}

async function activeCard(ports: PaymentsPorts, input: TokenSaleInput): Promise<Card> {
  const card = await ports.cards.get(input.storefrontId, input.customerId, input.cardId);
  if (card?.status !== 'active') throw new NotFoundError('card', 'cardId');
  return card;
}

function draftSale(fields: SaleFields, id: string, createdAt: string): Transaction {
  return {
    id,
    storefrontId: fields.storefrontId,
    type: 'sale',
    status: 'pending',
    amount: fields.amount,
    refunded: cents(0),
    orderId: fields.orderId,
    description: fields.description,
    createdAt,
  };
}

function saleOperation(ports: PaymentsPorts, storefrontId: string, prepare: Prepare): IdempotentOperation {
  const charge = async (sale: PreparedSale) => {
    const gateway = await ports.gateway(storefrontId);
    return record(ports, await sendToGateway(sale.draft, () => sale.send(gateway)));
  };
  return {
    start: async (id) => ({ transaction: await charge(await prepare(id, ports.clock.now().toISOString())) }),
    resume: async (id) => {
      const existing = await ports.transactions.get(storefrontId, id);
      if (existing && isSettled(existing)) return { transaction: existing };
      const sale = await prepare(id, existing?.createdAt ?? ports.clock.now().toISOString());
      const gateway = await ports.gateway(storefrontId);
      let found: GatewayTransaction | undefined;
      try {
        found = pickRecorded(await gateway.searchTransactions({ invoice: id }), 'SALE');
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        // Still unknown: stay pending; the next retry asks again.
        return { transaction: await record(ports, { transaction: existing ?? sale.draft }) };
      }
      if (found) {
        const attempt = { transaction: applyGatewayResult(sale.draft, found), tokenId: found.tokenId };
        return { transaction: await record(ports, attempt) };
      }
      return { transaction: await charge(sale) };
    },
  };
}
