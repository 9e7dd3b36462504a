/**
 * The normalized shape of everything Clearent answers, and the port the domain charges cards through.
 * Only `shared/clearent/` speaks Clearent's wire format; everything else sees these types.
 */
import type { Cents } from '../money';

/** Approved or declined are both results: a decline is a real outcome, not an exception. */
export type GatewayOutcome = 'approved' | 'declined';

export interface GatewayCard {
  /** Clearent `card-type`, e.g. "VISA". */
  brand?: string;
  /** Last four digits only, from `last-four` or the masked `card`. */
  last4?: string;
  /** MMYY. */
  expDate?: string;
}

export interface GatewayTransaction {
  outcome: GatewayOutcome;
  /** Clearent's `type`: SALE, REFUND, VOID; absent when a search result did not say. */
  type?: string;
  /** Clearent's transaction id; absent when a refusal carried no transaction. */
  transactionId?: string;
  amount?: Cents;
  authorizationCode?: string;
  /** Clearent `result-code`, "000" when approved. */
  resultCode: string;
  /** Clearent `display-message` (or `error-message` when only an error was returned). */
  message: string;
  /** Clearent `exchange-id`, for support and logs. */
  exchangeId?: string;
  card: GatewayCard;
  /** Reusable card token id, when `create-token` produced one (from the `token` link or `tokenResponse`). */
  tokenId?: string;
  invoice?: string;
  orderId?: string;
  /** Clearent's `created` timestamp as sent. */
  created?: string;
}

export interface GatewayToken {
  tokenId: string;
  card: GatewayCard;
  status?: string;
}

export interface JwtSaleRequest {
  /** The one-time JWT from Clearent's JavaScript SDK; sent in the `mobilejwt` header, never logged. */
  jwt: string;
  amount: Cents;
  createToken: boolean;
  /** Our transaction id: lets a timed-out sale be found again. */
  invoice: string;
  orderId?: string;
  description?: string;
  customerId?: string;
}

export interface TokenSaleRequest {
  tokenId: string;
  /** MMYY, as stored with the token. */
  expDate: string;
  amount: Cents;
  invoice: string;
  orderId?: string;
  description?: string;
  customerId?: string;
}

export interface RefundRequest {
  /** Clearent's transaction id of the sale being refunded. */
  saleTransactionId: string;
  amount: Cents;
  /** Our refund transaction id. */
  invoice?: string;
}

export interface TransactionSearch {
  invoice?: string;
  orderId?: string;
}

/**
 * The gateway port. Implemented by `createClearentClient` against the real API (or the simulator),
 * and by fakes in domain tests.
 *
 * Every method either resolves with a normalized result or rejects with one of the `GatewayError`
 * subclasses in `./errors`; never with a raw exception.
 */
export interface ClearentGateway {
  jwtSale(request: JwtSaleRequest): Promise<GatewayTransaction>;
  tokenSale(request: TokenSaleRequest): Promise<GatewayTransaction>;
  refund(request: RefundRequest): Promise<GatewayTransaction>;
  void(transactionId: string): Promise<GatewayTransaction>;
  /** `undefined` when Clearent has no such transaction. */
  getTransaction(transactionId: string): Promise<GatewayTransaction | undefined>;
  /** Newest first; empty when nothing matches. */
  searchTransactions(search: TransactionSearch): Promise<GatewayTransaction[]>;
  /** `undefined` when Clearent has no such token. */
  getToken(tokenId: string): Promise<GatewayToken | undefined>;
  /** `true` when deleted, `false` when Clearent had no such token. */
  deleteToken(tokenId: string): Promise<boolean>;
}

/** One line per gateway call, safe to log as is: it never holds a body, a JWT, a token id or a key. */
export interface GatewayCallRecord {
  operation: keyof ClearentGateway;
  method: string;
  path: string;
  httpStatus?: number;
  exchangeId?: string;
  resultCode?: string;
  outcome?: GatewayOutcome;
  durationMs: number;
  /** The error class name, when the call failed. */
  error?: string;
  attempt: number;
}

export interface ClearentClientOptions {
  /** e.g. https://gateway-sb.clearent.net, or the simulator's URL. */
  baseUrl: string;
  /** The merchant's secret `api-key`. */
  apiKey: string;
  /** Required by Clearent on mobile endpoints. */
  softwareType?: string;
  softwareTypeVersion?: string;
  /** Per call; default the time budget's (shared/time-budget.ts). */
  timeoutMs?: number;
  /** Attempts for calls that cannot charge (lookups, token reads); default the time budget's. */
  maxLookupAttempts?: number;
  /** Called once per HTTP attempt with a record that is safe to log. */
  onCall?: (record: GatewayCallRecord) => void;
}
