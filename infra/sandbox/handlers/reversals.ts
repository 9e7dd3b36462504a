/**
 * Refunds and voids of an earlier transaction, matched by its `id`. A refusal is recorded as a declined
 * REFUND or VOID and answered 402: 027 original not found, 024 already voided, 025 more than what
 * remains unrefunded; otherwise a refund of a trigger amount gets the table's result (`triggers.ts`).
 * Partial refunds add up. Refunds by card (unmatched) are not simulated.
 */
import { type Cents, cents, subtractCents } from '../../../shared/money';
import type { GatewayHandler } from '../context';
import { transactionEnvelope } from '../envelopes';
import { expectType, optionalString, requiredAmount, requiredString } from '../fields';
import type { Ledger, LedgerTransaction } from '../ledger';
import { triggeredResult } from '../triggers';
import { approval, declineOf, type Refusal } from './charge';

const NOT_FOUND: Refusal = {
  resultCode: '027',
  displayMessage: 'Original Not Found',
  httpStatus: 402,
};
const REVERSED: Refusal = {
  resultCode: '024',
  displayMessage: 'Previously Reversed',
  httpStatus: 402,
};
const OVER_REFUND: Refusal = {
  resultCode: '025',
  displayMessage: 'Exceeds maximum refundable amount',
  httpStatus: 402,
};
const HAS_REFUNDS: Refusal = {
  resultCode: '024',
  displayMessage: 'Transaction has refunds; void them first',
  httpStatus: 402,
};

/** `POST /rest/v2/transactions/refund`, or `POST /rest/v2/transactions` with `"type":"REFUND"`. */
export const refund: GatewayHandler = (request, state) => {
  const body = request.body;
  expectType(body, 'REFUND', false);
  const amount = requiredAmount(body);
  const originalId = requiredString(body, 'id');
  const original = approvedOriginal(state.ledger, originalId, 'SALE');
  const refusal = refundRefusal(state.ledger, original, amount) ?? triggeredResult(amount);
  const refundRecord = {
    type: 'REFUND' as const,
    amount,
    card: original?.card,
    originalId,
    invoice: optionalString(body, 'invoice'),
    orderId: optionalString(body, 'order-id'),
    description: optionalString(body, 'description'),
    softwareType: optionalString(body, 'software-type'),
    softwareTypeVersion: optionalString(body, 'software-type-version'),
    tokenCreated: false,
    endpoint: request.endpoint,
    created: request.receivedAt,
  };
  const recorded = state.ledger.record({ ...refundRecord, ...(refusal ? declineOf(refusal) : approval()) });
  return transactionEnvelope(recorded, { exchangeId: request.exchangeId, httpStatus: refusal?.httpStatus });
};

/** `POST /rest/v2/transactions/void` (or generic, `"type":"VOID"`): reverses a sale or a refund in full. */
export const voidTransaction: GatewayHandler = (request, state) => {
  const body = request.body;
  expectType(body, 'VOID', false);
  const originalId = requiredString(body, 'id');
  const original = approvedOriginal(state.ledger, originalId, 'SALE', 'REFUND');
  const refusal = voidRefusal(state.ledger, original);
  const recorded = state.ledger.record({
    type: 'VOID',
    amount: original?.amount ?? cents(0),
    card: original?.card,
    originalId,
    invoice: original?.invoice,
    orderId: original?.orderId,
    tokenCreated: false,
    endpoint: request.endpoint,
    created: request.receivedAt,
    ...(refusal ? declineOf(refusal) : approval()),
  });
  if (!refusal) state.ledger.markVoided(originalId);
  return transactionEnvelope(recorded, { exchangeId: request.exchangeId, httpStatus: refusal?.httpStatus });
};

function approvedOriginal(
  ledger: Ledger,
  id: string,
  ...types: LedgerTransaction['type'][]
): LedgerTransaction | undefined {
  const original = ledger.lookup.find(id);
  return original?.result === 'APPROVED' && types.includes(original.type) ? original : undefined;
}

function refundRefusal(ledger: Ledger, sale: LedgerTransaction | undefined, amount: Cents) {
  if (!sale) return NOT_FOUND;
  if (sale.voided) return REVERSED;
  const refundable = subtractCents(sale.amount, ledger.lookup.refundedAmount(sale.id));
  return amount > refundable ? OVER_REFUND : undefined;
}

function voidRefusal(ledger: Ledger, original: LedgerTransaction | undefined): Refusal | undefined {
  if (!original) return NOT_FOUND;
  if (original.voided) return REVERSED;
  if (original.type === 'SALE' && ledger.lookup.refundedAmount(original.id) > 0) return HAS_REFUNDS;
  return undefined;
}
