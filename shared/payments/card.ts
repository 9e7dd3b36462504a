/**
 * A stored Clearent card token, owned by one customer of one storefront. The token id never leaves the
 * server: the public Card shows brand, last four and expiry only.
 */

import { NotFoundError } from '../http/errors';
import type { cardSchema } from '../http/schemas/card';
import type * as z from '../zod';
import type { CardRepository } from './ports';

export interface Card {
  id: string;
  storefrontId: string;
  customerId: string;
  /** Clearent's reusable token id: secret-like, never logged or returned. */
  tokenId: string;
  brand?: string;
  last4?: string;
  /** MMYY. */
  expDate?: string;
  status: 'active' | 'removed';
  createdAt: string;
  removedAt?: string;
}

/**
 * The customer's active card `cardId`: only such a card is charged, set on a subscription or removed.
 * 404 `cardId` when there is none (never saved, another customer's, or removed).
 */
export async function requireActiveCard(
  cards: Pick<CardRepository, 'get'>,
  storefrontId: string,
  customerId: string,
  cardId: string,
): Promise<Card> {
  const card = await cards.get(storefrontId, customerId, cardId);
  if (card?.status !== 'active') throw new NotFoundError('card', 'cardId');
  return card;
}

/** The public representation (contract: Resources > Card), as its schema says. */
export type CardResource = z.infer<typeof cardSchema>;

export function toCardResource(card: Card): CardResource {
  return {
    id: card.id,
    customerId: card.customerId,
    brand: card.brand ?? null,
    last4: card.last4 ?? null,
    expDate: card.expDate ?? null,
    createdAt: card.createdAt,
  };
}

/** A card whose MMYY expiry month has ended before `now` (cards are valid through the end of that month). */
export function isExpired(card: Pick<Card, 'expDate'>, now: Date): boolean {
  const match = /^(\d{2})(\d{2})$/.exec(card.expDate ?? '');
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  const firstDayAfterExpiry = Date.UTC(year, month, 1);
  return now.getTime() >= firstDayAfterExpiry;
}
