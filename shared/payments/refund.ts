/**
 * Refunds against an approved sale. The refundable amount is held on the sale with one conditional write
 * before the gateway is called, so racing refunds can never add up to more than the sale; a declined or
 * failed refund gives its hold back, an unknown one keeps it until resolved.
 */
import { GatewayError } from '../clearent/errors';
import type { GatewayTransaction } from '../clearent/types';
import { NotFoundError, UnprocessableRequestError } from '../http/errors';
import { type Cents, cents, formatAmount, subtractCents } from '../money';
import { applyGatewayResult, type GatewayAttempt, pickRecorded, sendToGateway } from './gateway-outcome';
import type { IdempotentOperation } from './idempotent-operation';
import type { PaymentsPorts } from './ports';
import { recordAttempt } from './record-attempt';
import { isSettled, type Transaction } from './transaction';

export interface RefundInput {
  storefrontId: string;
  saleId: string;
  /** Default: all that remains unrefunded. */
  amount?: Cents;
  reason?: string;
}

export function refund(ports: PaymentsPorts, input: RefundInput): IdempotentOperation {
  const loadSale = async (): Promise<Transaction> => {
    const sale = await ports.transactions.get(input.storefrontId, input.saleId);
    if (sale?.type !== 'sale') throw new NotFoundError('transaction', 'transactionId');
    return sale;
  };

  const draftFor = (sale: Transaction, id: string, amount: Cents, createdAt: string): Transaction => ({
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
    createdAt,
  });

  const send = async (sale: Transaction, draft: Transaction): Promise<Transaction> => {
    const gateway = await ports.gateway(input.storefrontId);
    const attempt = await sendToGateway(draft, () =>
      gateway.refund({
        saleTransactionId: sale.gateway?.transactionId ?? '',
        amount: draft.amount,
        invoice: draft.id,
      }),
    );
    return settle(sale, attempt);
  };

  /** Gives the hold back unless the refund was approved or is still unknown, then records it. */
  const settle = async (sale: Transaction, attempt: GatewayAttempt): Promise<Transaction> => {
    const { status } = attempt.transaction;
    if (status === 'declined' || status === 'failed')
      await ports.transactions.releaseRefund(sale, attempt.transaction.id);
    return recordAttempt(ports, attempt);
  };

  const start = async (id: string): Promise<Transaction> => {
    const sale = await loadSale();
    if (sale.status !== 'approved') {
      throw new UnprocessableRequestError(
        'sale_not_refundable',
        `Only an approved sale can be refunded; this one is ${sale.status}`,
        'transactionId',
      );
    }
    const remaining = subtractCents(sale.amount, sale.refunded);
    const amount = input.amount ?? remaining;
    if (amount === 0 || amount > remaining || !(await ports.transactions.holdRefund(sale, id, amount))) {
      throw new UnprocessableRequestError(
        'amount_exceeds_refundable',
        `The refund exceeds what remains refundable on this sale (${formatAmount(remaining)})`,
        'amount',
      );
    }
    return send(sale, draftFor(sale, id, amount, ports.clock.now().toISOString()));
  };

  const resume = async (id: string): Promise<Transaction> => {
    const existing = await ports.transactions.get(input.storefrontId, id);
    if (existing && isSettled(existing)) return existing;
    const sale = await loadSale();
    const held = await ports.transactions.refundHold(input.storefrontId, sale.id, id);
    // Nothing is sent before the hold is taken and the refund written: with neither, nothing was sent.
    if (held === undefined && !existing) return start(id);
    const draft = existing ?? draftFor(sale, id, held ?? cents(0), ports.clock.now().toISOString());
    const gateway = await ports.gateway(input.storefrontId);
    let found: GatewayTransaction | undefined;
    try {
      found = pickRecorded(await gateway.searchTransactions({ invoice: id }), 'REFUND');
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return recordAttempt(ports, { transaction: draft });
    }
    if (!found) return held === undefined ? start(id) : send(sale, draft);
    // Clearent refunded after all, though it had answered 5xx and the hold was given back: count it again.
    if (held === undefined && found.outcome === 'approved') {
      await ports.transactions.holdRefund(sale, id, draft.amount);
    }
    return settle(sale, { transaction: applyGatewayResult(draft, found) });
  };

  return {
    start: async (id) => ({ transaction: await start(id) }),
    resume: async (id) => ({ transaction: await resume(id) }),
  };
}
