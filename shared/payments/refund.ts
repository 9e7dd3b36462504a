/**
 * Refunds against an approved sale, as money movements for the engine (docs/money-movement.md). The
 * refundable amount is held on the sale with one conditional write before the refund is sent (and
 * again before a resend, if it was given back), so racing refunds can never add up to more than the
 * sale; the hold is given back only when the gateway is known not to have refunded.
 */
import type { ClearentGateway } from '../clearent/types';
import { NotFoundError, UnprocessableRequestError } from '../http/errors';
import { type Cents, cents, formatAmount, subtractCents } from '../money';
import { drive, type MoneyMovement } from './engine/drive';
import type { IdempotentOperation } from './idempotent-operation';
import type { PaymentsPorts } from './ports';
import type { Transaction } from './transaction';

export interface RefundInput {
  storefrontId: string;
  saleId: string;
  /** Default: all that remains unrefunded. */
  amount?: Cents;
  reason?: string;
}

const exceedsRefundable = (remaining: Cents) =>
  new UnprocessableRequestError(
    'amount_exceeds_refundable',
    `The refund exceeds what remains refundable on this sale (${formatAmount(remaining)})`,
    'amount',
  );

/** The refund of `id`. */
export function refundMovement(
  ports: PaymentsPorts,
  input: RefundInput,
  id: string,
  key?: string,
): MoneyMovement {
  const loadSale = async (): Promise<Transaction> => {
    const sale = await ports.transactions.get(input.storefrontId, input.saleId);
    if (sale?.type !== 'sale') throw new NotFoundError('transaction', 'transactionId');
    return sale;
  };

  /** What the draft of a first attempt read, for its `prepare` (a resend reads afresh). */
  let drafted: { sale: Transaction; held: Cents | undefined } | undefined;

  const draft = async (): Promise<Transaction> => {
    const sale = await loadSale();
    if (sale.status !== 'approved') {
      throw new UnprocessableRequestError(
        'sale_not_refundable',
        `Only an approved sale can be refunded; this one is ${sale.status}`,
        'transactionId',
      );
    }
    // A hold this very refund left behind (its process died before sending) is not someone else's refund.
    const ownHold = await ports.transactions.refundHold(input.storefrontId, sale.id, id);
    const remaining = subtractCents(sale.amount, subtractCents(sale.refunded, ownHold ?? cents(0)));
    const amount = input.amount ?? remaining;
    if (amount === 0 || amount > remaining) throw exceedsRefundable(remaining);
    drafted = { sale, held: ownHold };
    return {
      id,
      storefrontId: input.storefrontId,
      type: 'refund',
      status: 'pending',
      amount,
      refunded: cents(0),
      saleId: sale.id,
      customerId: sale.customerId,
      cardId: sale.cardId,
      subscriptionId: sale.subscriptionId,
      card: sale.card,
      orderId: sale.orderId,
      reason: input.reason,
      createdAt: ports.clock.now().toISOString(),
      ...(key === undefined ? {} : { idempotencyKey: key }),
    };
  };

  return {
    kind: 'REFUND',
    storefrontId: input.storefrontId,
    id,
    draft,
    prepare: async (attempt) => {
      const sale = drafted?.sale ?? (await loadSale());
      // Still held from an earlier send (or a crash after the hold): the hold is this refund's already,
      // unless it was taken for another amount (a first draft that never sent), which is taken anew.
      const held = drafted
        ? drafted.held
        : await ports.transactions.refundHold(input.storefrontId, sale.id, attempt.id);
      drafted = undefined;
      if (held === attempt.amount) return refundRequest(sale, attempt);
      if (held !== undefined) await ports.transactions.releaseRefund(sale, attempt.id);
      const current = held === undefined ? sale : await loadSale();
      if (!(await ports.transactions.holdRefund(current, attempt.id, attempt.amount))) {
        throw exceedsRefundable(subtractCents(current.amount, current.refunded));
      }
      return refundRequest(sale, attempt);
    },
    release: (attempt) =>
      ports.transactions.releaseRefund({ storefrontId: attempt.storefrontId, id: input.saleId }, attempt.id),
  };
}

/** The refund request for `attempt` of `sale`. */
function refundRequest(sale: Transaction, attempt: Transaction) {
  return async (gateway: ClearentGateway) =>
    gateway.refund({
      saleTransactionId: sale.gateway?.transactionId ?? '',
      amount: attempt.amount,
      invoice: attempt.id,
    });
}

/** The refund run under a POST's Idempotency-Key. */
export function refund(ports: PaymentsPorts, input: RefundInput): IdempotentOperation {
  return {
    run: async (id, { key, resumed }) => ({
      transaction: await drive(ports, refundMovement(ports, input, id, key), 'send', { fresh: !resumed }),
    }),
  };
}
