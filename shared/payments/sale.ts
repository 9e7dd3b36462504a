/**
 * Sales, as money movements for the engine (docs/money-movement.md): by the one-time JWT from
 * Clearent's browser SDK (saving the card it creates), or by a stored card. The engine sends, resolves
 * and records them; this module only says what a sale is, what it checks before each send, and what
 * an approval adds.
 */
import type { ClearentGateway } from '../clearent/types';
import { type Cents, cents } from '../money';
import { type Card, requireActiveCard } from './card';
import { drive, type MoneyMovement } from './engine/drive';
import type { AttemptContext, IdempotentOperation } from './idempotent-operation';
import type { PaymentsPorts } from './ports';
import type { Transaction } from './transaction';

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

/** The card id a JWT sale saves its card under: derived from the sale, so saving it again is harmless. */
export const cardIdForSale = (transactionId: string): string => `card_${transactionId.replace(/^txn_/, '')}`;

function draftSale(fields: SaleFields, id: string, createdAt: string, key?: string): Transaction {
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
    ...(key === undefined ? {} : { idempotencyKey: key }),
  };
}

/**
 * What an approved JWT sale adds: the card its `create-token` produced, saved to the customer. A sale
 * recovered by search has no token (Clearent's search does not return it): approved, and said so.
 */
export function saveCreatedCard(ports: Pick<PaymentsPorts, 'cards'>): NonNullable<MoneyMovement['approved']> {
  return async (sale, tokenId) => {
    if (!sale.saveCard || !sale.customerId) return sale;
    if (!tokenId) return { ...sale, cardSaveFailed: true };
    const cardId = cardIdForSale(sale.id);
    await ports.cards.add({
      id: cardId,
      storefrontId: sale.storefrontId,
      customerId: sale.customerId,
      tokenId,
      brand: sale.card?.brand,
      last4: sale.card?.last4,
      expDate: sale.card?.expDate,
      status: 'active',
      createdAt: sale.createdAt,
    });
    return { ...sale, cardId };
  };
}

/** The JWT sale of `id`. A recovered sale without a token is approved with `cardSaveFailed`. */
export function jwtSaleMovement(
  ports: PaymentsPorts,
  input: JwtSaleInput,
  id: string,
  key?: string,
): MoneyMovement {
  const saveCard = input.saveCard && input.customerId !== undefined;
  return {
    kind: 'SALE',
    storefrontId: input.storefrontId,
    id,
    draft: async () => ({
      ...draftSale(input, id, ports.clock.now().toISOString(), key),
      customerId: input.customerId,
      cardSource: 'jwt',
      saveCard,
    }),
    prepare: async (attempt) => (gateway: ClearentGateway) =>
      gateway.jwtSale({
        jwt: input.jwt,
        amount: attempt.amount,
        createToken: saveCard,
        invoice: attempt.id,
        orderId: attempt.orderId,
        description: attempt.description,
        customerId: attempt.customerId,
      }),
    approved: saveCreatedCard(ports),
  };
}

/** Checks a saved card must pass right before it is charged (the recurring worker adds its own). */
export type CardCheck = (card: Card) => Promise<void>;

/** The sale of `id` to a saved card. The card must be active when the sale is sent (404 otherwise). */
export function tokenSaleMovement(
  ports: PaymentsPorts,
  input: TokenSaleInput,
  id: string,
  options: { key?: string; check?: CardCheck } = {},
): MoneyMovement {
  const activeCard = async (): Promise<Card> => {
    const card = await requireActiveCard(ports.cards, input.storefrontId, input.customerId, input.cardId);
    await options.check?.(card);
    return card;
  };
  let checked: Card | undefined;
  return {
    kind: 'SALE',
    storefrontId: input.storefrontId,
    id,
    draft: async () => {
      checked = await activeCard();
      return {
        ...draftSale(input, id, ports.clock.now().toISOString(), options.key),
        customerId: input.customerId,
        cardId: checked.id,
        subscriptionId: input.subscriptionId,
        cardSource: 'saved_card',
        card: { brand: checked.brand, last4: checked.last4, expDate: checked.expDate },
      };
    },
    prepare: async (attempt) => {
      // The draft has just read it on a first attempt; a resend reads it afresh.
      const card = checked ?? (await activeCard());
      checked = undefined;
      return (gateway: ClearentGateway) =>
        gateway.tokenSale({
          tokenId: card.tokenId,
          expDate: card.expDate ?? '',
          amount: attempt.amount,
          invoice: attempt.id,
          orderId: attempt.orderId,
          description: attempt.description,
          customerId: attempt.customerId,
        });
    },
  };
}

const asOperation = (
  movementFor: (id: string, context: AttemptContext) => MoneyMovement,
  ports: PaymentsPorts,
): IdempotentOperation => ({
  run: async (id, context) => ({
    transaction: await drive(ports, movementFor(id, context), 'send', { fresh: !context.resumed }),
  }),
});

/** The JWT sale run under a POST's Idempotency-Key. */
export function jwtSale(ports: PaymentsPorts, input: JwtSaleInput): IdempotentOperation {
  return asOperation((id, { key }) => jwtSaleMovement(ports, input, id, key), ports);
}

/** The saved-card sale run under a POST's Idempotency-Key. */
export function tokenSale(ports: PaymentsPorts, input: TokenSaleInput): IdempotentOperation {
  return asOperation((id, { key }) => tokenSaleMovement(ports, input, id, { key }), ports);
}
