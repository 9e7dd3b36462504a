/**
 * The promise, checked after a run (contract, "Money movement under faults"): each invoice charged at
 * most once at the gateway (net of voids); every gateway charge and refund recorded as approved with its
 * amount; refunds never above the sale, at the gateway and here; no new sale for a subscription after its
 * cancel was answered; nothing pending once reconciliation has run past the window; and each outcome's
 * event written with it, once.
 */
import type { LedgerTransaction } from '../../infra/sandbox';
import type { Transaction } from '../../shared/payments/transaction';
import type { RunState } from './interpreter';
import type { World } from './world';

export async function storedTransactions(world: World, run: RunState): Promise<Map<string, Transaction>> {
  const ports = world.ports(run.storefrontId);
  const all = new Map<string, Transaction>();
  let cursor: string | undefined;
  do {
    const page = await ports.timeline.list({ storefrontId: run.storefrontId, limit: 100, cursor });
    for (const transaction of page.data) all.set(transaction.id, transaction);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** Every broken invariant, described; empty when the promise held. */
export async function brokenInvariants(world: World, run: RunState): Promise<string[]> {
  const broken: string[] = [];
  const stored = await storedTransactions(world, run);
  const ledger = world.sandbox.ledger.transactions;
  const voided = new Set(ledger.filter((t) => t.voided).map((t) => t.id));
  const approved = (type: LedgerTransaction['type']) =>
    ledger.filter((t) => t.type === type && t.result === 'APPROVED' && !voided.has(t.id));

  const chargesByInvoice = new Map<string, LedgerTransaction[]>();
  for (const charge of approved('SALE')) {
    const invoice = charge.invoice ?? '(none)';
    chargesByInvoice.set(invoice, [...(chargesByInvoice.get(invoice) ?? []), charge]);
  }
  for (const [invoice, charges] of chargesByInvoice) {
    if (charges.length > 1) broken.push(`invoice ${invoice} charged ${charges.length} times at the gateway`);
    for (const charge of charges) recorded(broken, stored.get(invoice), charge, 'charge');
  }
  for (const refund of approved('REFUND'))
    recorded(broken, stored.get(refund.invoice ?? ''), refund, 'refund');

  for (const transaction of stored.values()) {
    if (transaction.status === 'pending')
      broken.push(`${transaction.id} is still pending after reconciliation`);
    // Its outcome's event was written with it (docs/events.md), once, showing that outcome.
    const outcome = `${transaction.type}.${transaction.status}`;
    const told = (transaction.outbox ?? []).filter((entry) => entry.type === outcome);
    // Settled once, so one approval or decline; "not charged" may come more than once, with resends between.
    const expected = transaction.status === 'failed' ? told.length >= 1 : told.length === 1;
    if (transaction.status !== 'pending' && !expected)
      broken.push(`${transaction.id} is ${transaction.status} with ${told.length} ${outcome} events`);
    if (told.some((entry) => (entry.object as { status?: string }).status !== transaction.status))
      broken.push(`${transaction.id}'s ${outcome} event shows another status`);
    if (transaction.type === 'sale' && transaction.status === 'approved') {
      const charges = chargesByInvoice.get(transaction.id) ?? [];
      if (!charges.some((charge) => charge.id === transaction.gateway?.transactionId)) {
        broken.push(`${transaction.id} is recorded approved but the gateway has no such charge`);
      }
      const refunds = [...stored.values()].filter(
        (t) => t.saleId === transaction.id && t.status === 'approved',
      );
      const refundedHere = refunds.reduce((sum, t) => sum + t.amount, 0);
      if (refundedHere > transaction.amount)
        broken.push(`${transaction.id} refunded ${refundedHere} > ${transaction.amount} here`);
      if (transaction.refunded > transaction.amount)
        broken.push(`${transaction.id} holds ${transaction.refunded} > ${transaction.amount}`);
      const gatewayId = transaction.gateway?.transactionId ?? '';
      const refundedThere = world.sandbox.ledger.refundedAmount(gatewayId);
      if (refundedThere > transaction.amount)
        broken.push(`${transaction.id} refunded ${refundedThere} at the gateway`);
    }
  }

  for (const [subscriptionId, canceledStep] of run.canceledAt) {
    for (const sent of world.sent) {
      if (sent.step <= canceledStep || sent.operation !== 'tokenSale' || sent.invoice === undefined) continue;
      if (stored.get(sent.invoice)?.subscriptionId === subscriptionId) {
        broken.push(
          `a sale was sent for ${subscriptionId} at step ${sent.step}, after its cancel at step ${canceledStep}`,
        );
      }
    }
  }
  return broken;
}

function recorded(
  broken: string[],
  transaction: Transaction | undefined,
  entry: LedgerTransaction,
  what: string,
) {
  if (transaction?.status !== 'approved' || transaction.gateway?.transactionId !== entry.id) {
    broken.push(
      `gateway ${what} ${entry.id} (invoice ${entry.invoice}) is not recorded: ours is ${transaction?.status ?? 'missing'}`,
    );
  } else if (transaction.amount !== entry.amount) {
    broken.push(`gateway ${what} ${entry.id} is ${entry.amount}, recorded as ${transaction.amount}`);
  }
}
