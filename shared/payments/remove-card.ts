/**
 * Removing a card: the token is deleted at Clearent first, then the card is marked removed. If Clearent
 * cannot be reached nothing changes and the caller may retry; deleting a token Clearent no longer has
 * is not an error, so a retry after a partial failure completes.
 */
import { GatewayError, GatewayOutcomeUnknownError } from '../clearent/errors';
import { GatewayRequestError } from '../http/errors';
import { requireActiveCard } from './card';
import type { PaymentsPorts } from './ports';

export async function removeCard(
  ports: Pick<PaymentsPorts, 'cards' | 'gateway' | 'clock'>,
  storefrontId: string,
  customerId: string,
  cardId: string,
): Promise<void> {
  const card = await requireActiveCard(ports.cards, storefrontId, customerId, cardId);
  const gateway = await ports.gateway(storefrontId);
  try {
    await gateway.deleteToken(card.tokenId);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const timedOut = error instanceof GatewayOutcomeUnknownError;
    throw new GatewayRequestError(
      timedOut ? 504 : 502,
      timedOut ? 'gateway_timeout' : 'gateway_unavailable',
      'The card gateway could not delete the card; nothing was changed, retry the request',
    );
  }
  await ports.cards.markRemoved(storefrontId, customerId, cardId, ports.clock.now().toISOString());
}
