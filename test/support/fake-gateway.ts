/**
 * A scriptable ClearentGateway for domain tests. It records every call (what the gateway "received"),
 * keeps a ledger of what it charged and refunded (what a search by invoice finds), and answers from
 * queues of scripted results, approving by default. It can do what Clearent may do to us
 * (docs/money-movement.md, "What the gateway may do to us"): charge and then answer 5xx or time out,
 * finish a sale after our client gave up and show it in its search only later, answer a sale with an
 * earlier transaction (duplicate checking), and leave the token id out of what a search returns.
 */
import { GatewayOutcomeUnknownError, GatewayUnavailableError } from '../../shared/clearent/errors';
import type {
  ClearentGateway,
  GatewayTransaction,
  JwtSaleRequest,
  RefundRequest,
  TokenSaleRequest,
  TransactionSearch,
} from '../../shared/clearent/types';
import { cents } from '../../shared/money';

export type GatewayCall =
  | { operation: 'jwtSale'; request: JwtSaleRequest }
  | { operation: 'tokenSale'; request: TokenSaleRequest }
  | { operation: 'refund'; request: RefundRequest }
  | { operation: 'void'; request: { transactionId: string } }
  | { operation: 'searchTransactions'; request: TransactionSearch }
  | { operation: 'deleteToken'; request: { tokenId: string } };

type RequestOf = { [C in GatewayCall as C['operation']]: C['request'] };

/**
 * The gateway moved the money (the transaction is in its ledger), and then the answer was lost:
 * `error` is thrown. `shown: 'later'` keeps the transaction out of searches until `showLate()` (the sale
 * finished after our client gave up, or the search lags behind).
 */
export class ChargedThenFailed {
  constructor(
    readonly error: Error,
    readonly shown: 'at once' | 'later' = 'at once',
    readonly result: Partial<GatewayTransaction> = {},
  ) {}
}

/**
 * A scripted answer to a sale, refund or void: a result to answer with (approved unless it says
 * otherwise; recorded in the ledger unless it is for another invoice, i.e. Clearent's duplicate check
 * answering with an earlier transaction), an error to throw with nothing recorded, or a charge whose
 * answer was lost.
 */
export type Script = Partial<GatewayTransaction> | Error | ChargedThenFailed;

/** A scripted answer to a search: the results, or an error to throw. */
export type SearchScript = Partial<GatewayTransaction>[] | Error;

const BASE_TIME = Date.UTC(2026, 10, 24, 10, 0, 0);

/** Clearent's `created` format ("2025-05-08 18:56:50.930"), which sorts as text. */
const clearentTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

export class FakeGateway implements ClearentGateway {
  readonly calls: GatewayCall[] = [];
  /** What the gateway recorded and its search shows, oldest first. */
  readonly ledger: GatewayTransaction[] = [];
  /** Recorded, but not shown by its search until `showLate()`. */
  private readonly late: GatewayTransaction[] = [];
  private readonly scripts: Script[] = [];
  private readonly searchScripts: SearchScript[] = [];
  private readonly voidScripts: Script[] = [];
  private sequence = 1000;

  /** The next sales and refunds (and refunds of duplicates) answer these, in order. */
  script(...answers: Script[]): this {
    this.scripts.push(...answers);
    return this;
  }

  /** The next searches answer these, in order, instead of what the ledger holds. */
  scriptSearch(...answers: SearchScript[]): this {
    this.searchScripts.push(...answers);
    return this;
  }

  /** The next voids answer these, in order (approved by default). */
  scriptVoid(...answers: Script[]): this {
    this.voidScripts.push(...answers);
    return this;
  }

  /** Puts transactions in the ledger as they are given (what a later search finds). */
  record(...transactions: Partial<GatewayTransaction>[]): GatewayTransaction[] {
    const recorded = transactions.map((transaction) => this.transaction('SALE', 0, transaction));
    this.ledger.push(...recorded);
    return recorded;
  }

  /** Transactions made after our client gave up now show in searches. */
  showLate(): void {
    this.ledger.push(...this.late.splice(0));
  }

  count(operation: GatewayCall['operation']): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  /** The requests of one operation, in order. */
  requests<O extends GatewayCall['operation']>(operation: O): RequestOf[O][] {
    return this.calls
      .filter((call) => call.operation === operation)
      .map((call) => call.request as RequestOf[O]);
  }

  private transaction(
    type: string,
    amount: number,
    fields: Partial<GatewayTransaction>,
    invoice?: string,
  ): GatewayTransaction {
    this.sequence += 1;
    return {
      outcome: 'approved',
      type,
      transactionId: String(this.sequence),
      amount: cents(amount),
      authorizationCode: 'TAS001',
      resultCode: '000',
      message: 'Transaction approved',
      exchangeId: `ID-fake-${this.sequence}`,
      card: { brand: 'VISA', last4: '1111', expDate: '1228' },
      created: clearentTime(BASE_TIME + this.sequence * 1000),
      ...(invoice === undefined ? {} : { invoice }),
      ...fields,
    };
  }

  private answer(
    queue: Script[],
    type: 'SALE' | 'REFUND' | 'VOID',
    amount: number,
    invoice?: string,
    tokenId?: string,
  ): GatewayTransaction {
    const script = queue.shift() ?? {};
    if (script instanceof Error) throw script;
    const fields = script instanceof ChargedThenFailed ? script.result : script;
    const result = this.transaction(type, amount, { ...(tokenId ? { tokenId } : {}), ...fields }, invoice);
    if (result.outcome !== 'approved') delete result.tokenId;
    // Clearent's duplicate check answers with an earlier transaction: nothing new is recorded.
    const duplicate = result.invoice !== undefined && result.invoice !== invoice;
    if (!duplicate) {
      // Recorded under the invoice sent even when the answer leaves it out; Clearent's search does not
      // return the token id (clearent-gateway.md).
      const { tokenId: _tokenId, ...searched } = { ...result, ...(invoice === undefined ? {} : { invoice }) };
      const late = script instanceof ChargedThenFailed && script.shown === 'later';
      (late ? this.late : this.ledger).push(searched);
    }
    if (script instanceof ChargedThenFailed) throw script.error;
    return result;
  }

  async jwtSale(request: JwtSaleRequest): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'jwtSale', request });
    const tokenId = request.createToken ? '1100000900023211111' : undefined;
    return this.answer(this.scripts, 'SALE', request.amount, request.invoice, tokenId);
  }

  async tokenSale(request: TokenSaleRequest): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'tokenSale', request });
    return this.answer(this.scripts, 'SALE', request.amount, request.invoice);
  }

  async refund(request: RefundRequest): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'refund', request });
    return this.answer(this.scripts, 'REFUND', request.amount, request.invoice);
  }

  async void(transactionId: string): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'void', request: { transactionId } });
    const voided = this.ledger.find((transaction) => transaction.transactionId === transactionId);
    return this.answer(this.voidScripts, 'VOID', voided?.amount ?? 0);
  }

  async getTransaction(): Promise<GatewayTransaction | undefined> {
    throw new Error('not used by the domain');
  }

  /** Newest first, like Clearent's. */
  async searchTransactions(request: TransactionSearch): Promise<GatewayTransaction[]> {
    this.calls.push({ operation: 'searchTransactions', request });
    const scripted = this.searchScripts.shift();
    if (scripted instanceof Error) throw scripted;
    if (scripted) return scripted as GatewayTransaction[];
    return this.ledger.filter((transaction) => transaction.invoice === request.invoice).reverse();
  }

  async getToken(): Promise<undefined> {
    return undefined;
  }

  async deleteToken(tokenId: string): Promise<boolean> {
    this.calls.push({ operation: 'deleteToken', request: { tokenId } });
    return true;
  }
}

/** Our client timed out after the gateway charged: the charge is in the ledger, the answer lost. */
export const timeoutAfterCharging = () =>
  new ChargedThenFailed(new GatewayOutcomeUnknownError('timed out after charging'));

/** Clearent charged, then answered 5xx (the client cannot tell it from a 5xx before acting). */
export const serverErrorAfterCharging = (status = 500) =>
  new ChargedThenFailed(
    new GatewayOutcomeUnknownError(`Clearent answered HTTP ${status}`, { httpStatus: status }),
  );

/** Clearent answered 5xx and did nothing. */
export const serverError = (status = 503) =>
  new GatewayOutcomeUnknownError(`Clearent answered HTTP ${status}`, { httpStatus: status });

/**
 * Our client gave up, and the gateway finished the sale afterwards: its search shows it only after
 * `showLate()`.
 */
export const completedAfterTimeout = () =>
  new ChargedThenFailed(new GatewayOutcomeUnknownError('timed out; the sale completed later'), 'later');

/** A timeout before anything reached the gateway's ledger. */
export const timeoutBeforeCharging = () =>
  new GatewayOutcomeUnknownError('timed out before the gateway acted');

/** The request provably never reached Clearent (connection refused, or 429): nothing was charged. */
export const notReached = () => new GatewayUnavailableError('Clearent could not be reached (ECONNREFUSED)');
