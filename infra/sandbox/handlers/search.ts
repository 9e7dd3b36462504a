/**
 * `GET /rest/v2/transactions`: lookup by `id` and search by `invoice`, `order-id`, `amount` (filters
 * combine with AND; `start-date`, `end-date` are accepted and ignored). Paged by `page` (from 1, default 1)
 * and `page-size` (1 to 100, default 25). Newest first.
 *
 * A transaction shows only once the simulator clock reached its `created` + `searchLagMs` (behaviour,
 * default 0). A query matching something, `id` lookups included, answers 200 in the list shape:
 *
 * ```json
 * {"code":"200","status":"success","exchange-id":"ID-...",
 *  "payload":{"transactions":{"transaction":[{"id":"118810621","type":"SALE","amount":"15.55","result":"APPROVED",
 *     "result-code":"000","invoice":"...", ...}]},
 *   "page":{"number":"1","size":"25","total-elements":"1","total-pages":"1"},
 *   "payloadType":"transactions"}}
 * ```
 * A query matching nothing is answered as `emptySearchStatus` says: 204 No Content with no body (the
 * default, as Xplor documents), 200 with an empty list, or 404 with the error envelope.
 * Each item is the `transaction` object a sale answers, plus `original-id` on a refund or void. It never
 * carries the card token id: Clearent documents that only on the sale's own answer. In XML:
 * `<payload type="transactions"><transactions>` holds one `<transaction>` element per item (a single item
 * parses as an object, not an array, unless the parser is told otherwise; an empty list is an empty
 * `<transactions/>`), then `<page>`.
 */
import { type Cents, InvalidAmountError, parseAmount } from '../../../shared/money';
import type { GatewayHandler, GatewayRequest } from '../context';
import { errorEnvelope, NOT_FOUND_RESULT_CODE, transactionObject } from '../envelopes';
import { FieldError, INVALID_FIELD } from '../fields';
import type { LedgerTransaction } from '../ledger';
import type { TransactionLookup } from '../transaction-index';
import { type Envelope, type GatewayReply, NO_CONTENT } from '../wire';

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

interface Filters {
  id?: string;
  invoice?: string;
  orderId?: string;
  amount?: Cents;
}

interface Paging {
  page: number;
  pageSize: number;
  total: number;
}

export const searchTransactions: GatewayHandler = (request, state) => {
  const filters = filtersOf(request.query);
  const page = positiveParam(request.query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = positiveParam(request.query, 'page-size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const shownUntil = request.receivedAt.getTime() - state.behaviour.searchLagMs;
  const found = candidates(state.ledger.lookup, filters).filter(
    (transaction) => matches(transaction, filters) && transaction.created.getTime() <= shownUntil,
  );
  const paging = { page, pageSize, total: found.length };
  if (found.length === 0) return emptyAnswer(state.behaviour.emptySearchStatus, request, paging);
  const newestShown = Math.max(found.length - (page - 1) * pageSize, 0);
  const shown = found.slice(Math.max(newestShown - pageSize, 0), newestShown).reverse();
  return listEnvelope(request, shown, paging);
};

/** The narrowest index the filters allow; oldest first. */
function candidates(lookup: TransactionLookup, filters: Filters): readonly LedgerTransaction[] {
  if (filters.id !== undefined) {
    const transaction = lookup.find(filters.id);
    return transaction ? [transaction] : [];
  }
  if (filters.invoice !== undefined) return lookup.withInvoice(filters.invoice);
  if (filters.orderId !== undefined) return lookup.withOrderId(filters.orderId);
  return lookup.transactions();
}

function matches(transaction: LedgerTransaction, filters: Filters): boolean {
  return (
    (filters.invoice === undefined || transaction.invoice === filters.invoice) &&
    (filters.orderId === undefined || transaction.orderId === filters.orderId) &&
    (filters.amount === undefined || transaction.amount === filters.amount)
  );
}

function emptyAnswer(status: 200 | 204 | 404, request: GatewayRequest, paging: Paging): GatewayReply {
  if (status === 204) return NO_CONTENT;
  if (status === 404) {
    const message = 'No transactions found';
    return errorEnvelope(404, NOT_FOUND_RESULT_CODE, message, request.exchangeId, request.receivedAt);
  }
  return listEnvelope(request, [], paging);
}

function listEnvelope(
  request: GatewayRequest,
  shown: readonly LedgerTransaction[],
  paging: Paging,
): Envelope {
  return {
    code: '200',
    status: 'success',
    'exchange-id': request.exchangeId,
    payload: {
      transactions: { transaction: shown.map(listItem) },
      page: {
        number: String(paging.page),
        size: String(paging.pageSize),
        'total-elements': String(paging.total),
        'total-pages': String(Math.ceil(paging.total / paging.pageSize)),
      },
      payloadType: 'transactions',
    },
  };
}

function listItem(transaction: LedgerTransaction) {
  return { ...transactionObject(transaction), 'original-id': transaction.originalId };
}

function filtersOf(query: URLSearchParams): Filters {
  const amountText = query.get('amount') || undefined;
  try {
    return {
      id: query.get('id') || undefined,
      invoice: query.get('invoice') || undefined,
      orderId: query.get('order-id') || undefined,
      amount: amountText === undefined ? undefined : parseAmount(amountText),
    };
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    throw new FieldError(INVALID_FIELD, 'amount must be a decimal string, like "25.00"');
  }
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
