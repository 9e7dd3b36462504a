/**
 * Writes what a gateway attempt led to: the card an approved JWT sale created, then the transaction,
 * with the answer it gets once settled (kept for idempotent replays).
 */
import type { GatewayAttempt } from './gateway-outcome';
import type { PaymentsPorts } from './ports';
import { isSettled, type Transaction } from './transaction';
import { transactionResponse } from './transaction-response';

/** The card id a JWT sale saves its card under: derived from the sale, so saving it again is harmless. */
export const cardIdForSale = (transactionId: string): string => `card_${transactionId.replace(/^txn_/, '')}`;

export async function recordAttempt(
  ports: Pick<PaymentsPorts, 'cards' | 'transactions'>,
  attempt: GatewayAttempt,
): Promise<Transaction> {
  let transaction = attempt.transaction;
  if (
    transaction.status === 'approved' &&
    transaction.saveCard &&
    transaction.customerId &&
    attempt.tokenId
  ) {
    const cardId = cardIdForSale(transaction.id);
    await ports.cards.add({
      id: cardId,
      storefrontId: transaction.storefrontId,
      customerId: transaction.customerId,
      tokenId: attempt.tokenId,
      brand: transaction.card?.brand,
      last4: transaction.card?.last4,
      expDate: transaction.card?.expDate,
      status: 'active',
      createdAt: transaction.createdAt,
    });
    transaction = { ...transaction, cardId };
  }
  const final = isSettled(transaction)
    ? { ...transaction, response: transactionResponse(transaction) }
    : transaction;
  return ports.transactions.save(final);
}
