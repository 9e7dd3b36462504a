/**
 * `GET /rest/v2/transactions`: lookup by `id` and search by `invoice`, `order-id`, `amount` (filters
 * combine with AND; `start-date`, `end-date` are accepted and ignored). Paged by `page` (from 1, default 1)
 * and `page-size` (1 to 100, default 25). Newest first.
 *
 * Every query, `id` lookups included, answers 200 with the same list shape, empty when nothing matches:
 *
 * ```json
 * {"code":"200","status":"success","exchange-id":"ID-...",
 *  "payload":{"transactions":{"transaction":[{"id":"118810621","type":"SALE","amount":"15.55","result":"APPROVED",
 *     "result-code":"000","invoice":"...","token-id":"1100000...1111", ...}]},
 *   "page":{"number":"1","size":"25","total-elements":"1","total-pages":"1"},
 *   "payloadType":"transactions"}}
 * ```
 * Each item is the `transaction` object a sale answers, plus `token-id` when the sale created or charged a
 * card token, and `original-id` on a refund or void. In XML: `<payload type="transactions"><transactions>`
 * holds one `<transaction>` element per item (a single item parses as an object, not an array, unless
 * the parser is told otherwise; an empty list is an empty `<transactions/>`), then `<page>`.
 */
import { InvalidAmountError, parseAmount } from '../../../shared/money';
import type { GatewayHandler } from '../context';
import { transactionObject } from '../envelopes';
import { FieldError, INVALID_FIELD } from '../fields';
import type { LedgerTransaction } from '../ledger';

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

export const searchTransactions: GatewayHandler = (request, state) => {
  const matches = matcher(request.query);
  const page = positiveParam(request.query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = positiveParam(request.query, 'page-size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const found = state.ledger.allTransactions().filter(matches).reverse();
  const shown = found.slice((page - 1) * pageSize, page * pageSize);
  return {
    code: '200',
    status: 'success',
    'exchange-id': request.exchangeId,
    payload: {
      transactions: { transaction: shown.map(listItem) },
      page: {
        number: String(page),
        size: String(pageSize),
        'total-elements': String(found.length),
        'total-pages': String(Math.ceil(found.length / pageSize)),
      },
      payloadType: 'transactions',
    },
  };
};

function listItem(transaction: LedgerTransaction) {
  return {
    ...transactionObject(transaction),
    'token-id': transaction.tokenId,
    'original-id': transaction.originalId,
  };
}

function matcher(query: URLSearchParams): (transaction: LedgerTransaction) => boolean {
  const id = query.get('id') || undefined;
  const invoice = query.get('invoice') || undefined;
  const orderId = query.get('order-id') || undefined;
  const amountText = query.get('amount') || undefined;
  let amount: number | undefined;
  try {
    amount = amountText === undefined ? undefined : parseAmount(amountText);
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    throw new FieldError(INVALID_FIELD, 'amount must be a decimal string, like "25.00"');
  }
  return (transaction) =>
    (id === undefined || transaction.id === id) &&
    (invoice === undefined || transaction.invoice === invoice) &&
    (orderId === undefined || transaction.orderId === orderId) &&
    (amount === undefined || transaction.amount === amount);
}

function positiveParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new FieldError(INVALID_FIELD, `${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}
