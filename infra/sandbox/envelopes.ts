/**
 * Builds Clearent's answers from ledger records: approvals, declines (HTTP 402 with both `transaction`
 * and `error`, as Clearent documents), an earlier sale answered for a duplicate, request errors and the
 * 401 for a bad api-key.
 */
import { formatAmount } from '../../shared/money';
import { maskedCardNumber } from './cards';
import type { LedgerToken, LedgerTransaction } from './ledger';
import { type Envelope, formatTimestamp, type WireLink, type WireObject } from './wire';

/** Fixed merchant identity of the simulated terminal. */
const MERCHANT_ID = '999000000001';
const TERMINAL_ID = '10011111';
const BATCH_STRING_ID = '1';
/** Result code of a token or transaction that does not exist (the simulator's choice; the 404 is what matters). */
export const NOT_FOUND_RESULT_CODE = '027';

/** Clearent's `transaction` object; fields that do not apply are left out. */
export function transactionObject(transaction: LedgerTransaction): WireObject {
  const approved = transaction.result === 'APPROVED';
  const card = transaction.card;
  return {
    amount: formatAmount(transaction.amount),
    id: transaction.id,
    created: formatTimestamp(transaction.created),
    type: transaction.type,
    result: transaction.result,
    card: card && maskedCardNumber(card.lastFour),
    'authorization-code': transaction.authorizationCode,
    'batch-string-id': approved ? BATCH_STRING_ID : undefined,
    'display-message': transaction.displayMessage,
    'result-code': transaction.resultCode,
    'exp-date': card?.expDate,
    'software-type': transaction.softwareType,
    'software-type-version': transaction.softwareTypeVersion,
    'card-type': card?.cardType,
    'last-four': card?.lastFour,
    'merchant-id': MERCHANT_ID,
    'terminal-id': TERMINAL_ID,
    invoice: transaction.invoice,
    'order-id': transaction.orderId,
    'customer-id': transaction.customerId,
    description: transaction.description,
    'create-token': transaction.tokenCreated ? true : undefined,
  };
}

/** Clearent's `tokenResponse` object. */
export function tokenObject(token: LedgerToken): WireObject {
  const status = token.deleted ? 'Deleted' : 'Active';
  return {
    'token-id': token.tokenId,
    'times-used': String(token.timesUsed),
    status,
    'token-status': status,
    'last-four-digits': token.card.lastFour,
    'card-type': token.card.cardType,
    'exp-date': token.card.expDate,
    description: token.description,
    created: formatTimestamp(token.created),
    updated: formatTimestamp(token.updated),
  };
}

export function transactionLink(transactionId: string): WireLink {
  return { rel: 'transaction', href: `/rest/v2/transactions?id=${transactionId}`, id: transactionId };
}

export function tokenLink(tokenId: string): WireLink {
  return { rel: 'token', href: `/rest/v2/tokens/${tokenId}`, id: tokenId };
}

export interface TransactionAnswer {
  exchangeId: string;
  /** A declined transaction is answered 402 unless said otherwise (the 0.14 trigger is a 400). */
  httpStatus?: number;
  /** The token a `create-token` sale produced: sent in the `token` link and in `tokenResponse`. */
  createdToken?: LedgerToken;
}

/** The answer to a sale, refund or void: approved (200) or declined (402, with `error` too). */
export function transactionEnvelope(transaction: LedgerTransaction, answer: TransactionAnswer): Envelope {
  const links = [transactionLink(transaction.id)];
  if (transaction.result === 'APPROVED') {
    if (answer.createdToken) links.push(tokenLink(answer.createdToken.tokenId));
    return {
      code: String(answer.httpStatus ?? 200),
      status: 'success',
      'exchange-id': answer.exchangeId,
      links,
      payload: {
        transaction: transactionObject(transaction),
        tokenResponse: answer.createdToken && tokenObject(answer.createdToken),
        payloadType: 'transaction',
      },
    };
  }
  return {
    code: String(answer.httpStatus ?? 402),
    status: 'fail',
    'exchange-id': answer.exchangeId,
    links,
    payload: {
      transaction: transactionObject(transaction),
      error: { 'error-message': transaction.displayMessage, 'result-code': transaction.resultCode },
      payloadType: 'error',
    },
  };
}

/**
 * Clearent's default answer to a duplicate sale: 200 with the EARLIER approved sale (its own id, amount,
 * invoice...), "Transaction Previously Approved", and no token even if the earlier sale created one.
 */
export function previouslyApprovedEnvelope(earlier: LedgerTransaction, exchangeId: string): Envelope {
  const transaction = { ...transactionObject(earlier), 'display-message': 'Transaction Previously Approved' };
  return {
    code: '200',
    status: 'success',
    'exchange-id': exchangeId,
    links: [transactionLink(earlier.id)],
    payload: { transaction, payloadType: 'transaction' },
  };
}

/** A request refused before any transaction existed: validation (400), not found (404). */
export function errorEnvelope(
  httpStatus: number,
  resultCode: string,
  message: string,
  exchangeId: string,
  now: Date,
): Envelope {
  return {
    code: String(httpStatus),
    status: 'fail',
    'exchange-id': exchangeId,
    payload: {
      error: { 'error-message': message, 'result-code': resultCode, 'time-stamp': formatTimestamp(now) },
      payloadType: 'error',
    },
  };
}

/** Exactly Clearent's documented answer to a bad api-key: no exchange-id, no links. */
export function unauthorizedEnvelope(now: Date): Envelope {
  return {
    code: '401',
    status: 'fail',
    payload: {
      error: { 'error-message': 'UNAUTHORIZED', 'result-code': '042', 'time-stamp': formatTimestamp(now) },
      payloadType: 'error',
    },
  };
}
