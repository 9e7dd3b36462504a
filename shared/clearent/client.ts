/**
 * The Clearent REST v2 client: the real implementation of the ClearentGateway port. Builds each request
 * in Clearent's wire format (JSON, hyphenated keys, string values); `./answers` reads the answers and
 * `./calls` runs the attempts.
 */
import { formatAmount } from '../money';
import { gatewayCallTimeoutMs, lookupAttempts } from '../time-budget';
import { readCharge, readToken, readTokenDeletion, readTransactions } from './answers';
import { type CallPlan, createCallRunner } from './calls';
import { GatewayInvalidRequestError } from './errors';
import { createHttpTransport, type HttpMethod } from './transport';
import type { ClearentClientOptions, ClearentGateway, GatewayTransaction, JwtSaleRequest } from './types';

const DEFAULT_TIMEOUT_MS = gatewayCallTimeoutMs;
const DEFAULT_LOOKUP_ATTEMPTS = lookupAttempts;
const DEFAULT_SOFTWARE_TYPE = 'clearent-payments';
const DEFAULT_SOFTWARE_TYPE_VERSION = '1';

type Fields = Record<string, string | undefined>;

/** Optional reference fields, as Clearent names them; unset ones are left out of the body. */
function referenceFields(request: Omit<JwtSaleRequest, 'jwt' | 'amount' | 'createToken'>): Fields {
  return {
    invoice: request.invoice,
    'order-id': request.orderId,
    description: request.description,
    'customer-id': request.customerId,
  };
}

function jsonBody(fields: Fields): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  );
}

/** Newest first, by Clearent's `created` ("2025-05-08 18:56:50.930" sorts as text); undated ones last. */
function newestFirst(transactions: GatewayTransaction[]): GatewayTransaction[] {
  return [...transactions].sort((a, b) => {
    const [left, right] = [a.created ?? '', b.created ?? ''];
    return left === right ? 0 : left < right ? 1 : -1;
  });
}

/**
 * Creates a client for one merchant's Clearent account.
 *
 * @example
 * const gateway = createClearentClient({ baseUrl: 'https://gateway-sb.clearent.net', apiKey });
 * const sale = await gateway.jwtSale({ jwt, amount: parseAmount('15.55'), createToken: true, invoice: 'txn_1' });
 * if (sale.outcome === 'declined') console.log(sale.resultCode);
 */
export function createClearentClient(options: ClearentClientOptions): ClearentGateway {
  const run = createCallRunner({
    send: createHttpTransport(options.baseUrl, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxLookupAttempts: Math.max(1, options.maxLookupAttempts ?? DEFAULT_LOOKUP_ATTEMPTS),
    onCall: options.onCall,
  });
  const software: Fields = {
    'software-type': options.softwareType ?? DEFAULT_SOFTWARE_TYPE,
    'software-type-version': options.softwareTypeVersion ?? DEFAULT_SOFTWARE_TYPE_VERSION,
  };

  function request(method: HttpMethod, path: string, body?: Fields, headers: Record<string, string> = {}) {
    return {
      method,
      path,
      headers: {
        'api-key': options.apiKey,
        'content-type': 'application/json',
        accept: 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : jsonBody(body),
    };
  }

  function charge(
    operation: CallPlan<GatewayTransaction>['operation'],
    path: string,
    type: string,
    body: Fields,
    headers?: Record<string, string>,
  ): Promise<GatewayTransaction> {
    return run({
      operation,
      request: request('POST', path, { type, ...body }, headers),
      pathTemplate: path,
      mayCharge: true,
      retryable: false,
      read: (answer) => readCharge(answer, type),
    });
  }

  async function findTransactions(
    operation: 'getTransaction' | 'searchTransactions',
    query: Record<string, string>,
  ): Promise<GatewayTransaction[]> {
    const names = Object.keys(query);
    const path = `/rest/v2/transactions?${new URLSearchParams(query)}`;
    const pathTemplate = `/rest/v2/transactions?${names.map((name) => `${name}={${name}}`).join('&')}`;
    return run({
      operation,
      request: request('GET', path),
      pathTemplate,
      mayCharge: false,
      retryable: true,
      read: readTransactions,
    });
  }

  const tokenPath = (tokenId: string) => `/rest/v2/tokens/${encodeURIComponent(tokenId)}`;
  const tokenPathTemplate = '/rest/v2/tokens/{id}';

  return {
    jwtSale: (sale) =>
      charge(
        'jwtSale',
        '/rest/v2/mobile/transactions/sale',
        'SALE',
        {
          amount: formatAmount(sale.amount),
          ...software,
          'create-token': sale.createToken ? 'true' : undefined,
          ...referenceFields(sale),
        },
        { mobilejwt: sale.jwt },
      ),

    tokenSale: (sale) =>
      charge('tokenSale', '/rest/v2/transactions/sale', 'SALE', {
        amount: formatAmount(sale.amount),
        card: sale.tokenId,
        'exp-date': sale.expDate,
        ...software,
        ...referenceFields(sale),
      }),

    refund: (refund) =>
      charge('refund', '/rest/v2/transactions/refund', 'REFUND', {
        amount: formatAmount(refund.amount),
        id: refund.saleTransactionId,
        invoice: refund.invoice,
      }),

    void: (transactionId) => charge('void', '/rest/v2/transactions/void', 'VOID', { id: transactionId }),

    getTransaction: async (transactionId) => {
      const found = await findTransactions('getTransaction', { id: transactionId });
      return found.find((transaction) => transaction.transactionId === transactionId);
    },

    searchTransactions: async (search) => {
      const query = Object.fromEntries(
        Object.entries({ invoice: search.invoice, 'order-id': search.orderId }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
        ),
      );
      if (Object.keys(query).length === 0) {
        throw new GatewayInvalidRequestError('a transaction search needs an invoice or an order id');
      }
      return newestFirst(await findTransactions('searchTransactions', query));
    },

    getToken: (tokenId) =>
      run({
        operation: 'getToken',
        request: request('GET', tokenPath(tokenId)),
        pathTemplate: tokenPathTemplate,
        mayCharge: false,
        retryable: true,
        read: (answer) => readToken(answer, tokenId),
      }),

    deleteToken: (tokenId) =>
      run({
        operation: 'deleteToken',
        request: request('DELETE', tokenPath(tokenId)),
        pathTemplate: tokenPathTemplate,
        mayCharge: false,
        retryable: false,
        read: readTokenDeletion,
      }),
  };
}
