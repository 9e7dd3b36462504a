/**
 * A scriptable ClearentGateway for domain tests: it records every call (what the gateway "received")
 * and answers from a queue of scripted results, approving by default.
 */
import { GatewayOutcomeUnknownError } from '../../shared/clearent/errors';
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
  | { operation: 'searchTransactions'; request: TransactionSearch }
  | { operation: 'deleteToken'; request: { tokenId: string } };

/** A scripted answer: a result to resolve with, or an error to throw. */
export type Script = Partial<GatewayTransaction> | Error;

export class FakeGateway implements ClearentGateway {
  readonly calls: GatewayCall[] = [];
  /** What the gateway has recorded, by invoice (what a lookup finds). */
  readonly recorded = new Map<string, GatewayTransaction>();
  private readonly scripts: Script[] = [];
  private sequence = 1000;

  /** The next charges answer these, in order. */
  script(...answers: Script[]): this {
    this.scripts.push(...answers);
    return this;
  }

  count(operation: GatewayCall['operation']): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  private answer(
    type: 'SALE' | 'REFUND',
    amount: number,
    invoice?: string,
    tokenId?: string,
  ): GatewayTransaction {
    const script = this.scripts.shift() ?? {};
    const result: GatewayTransaction = {
      outcome: 'approved',
      type,
      transactionId: String(this.sequence++),
      amount: cents(amount),
      authorizationCode: 'TAS001',
      resultCode: '000',
      message: 'Transaction approved',
      exchangeId: `ID-fake-${this.sequence}`,
      card: { brand: 'VISA', last4: '1111', expDate: '1228' },
      invoice,
      ...(tokenId ? { tokenId } : {}),
      ...(script instanceof Error ? {} : script),
    };
    if (result.outcome !== 'approved') delete result.tokenId;
    if (script instanceof GatewayOutcomeUnknownError && script.message.includes('after charging')) {
      if (invoice) this.recorded.set(invoice, result);
    }
    if (script instanceof Error) throw script;
    if (invoice) this.recorded.set(invoice, result);
    return result;
  }

  async jwtSale(request: JwtSaleRequest): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'jwtSale', request });
    const tokenId = request.createToken ? '1100000900023211111' : undefined;
    return this.answer('SALE', request.amount, request.invoice, tokenId);
  }

  async tokenSale(request: TokenSaleRequest): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'tokenSale', request });
    return this.answer('SALE', request.amount, request.invoice);
  }

  async refund(request: RefundRequest): Promise<GatewayTransaction> {
    this.calls.push({ operation: 'refund', request });
    return this.answer('REFUND', request.amount, request.invoice);
  }

  async void(): Promise<GatewayTransaction> {
    throw new Error('not used by the domain');
  }

  async getTransaction(): Promise<GatewayTransaction | undefined> {
    throw new Error('not used by the domain');
  }

  async searchTransactions(request: TransactionSearch): Promise<GatewayTransaction[]> {
    this.calls.push({ operation: 'searchTransactions', request });
    const found = request.invoice ? this.recorded.get(request.invoice) : undefined;
    return found ? [found] : [];
  }

  async getToken(): Promise<undefined> {
    return undefined;
  }

  async deleteToken(tokenId: string): Promise<boolean> {
    this.calls.push({ operation: 'deleteToken', request: { tokenId } });
    return true;
  }
}

/** A timeout after the gateway charged: the fake records the charge, then throws. */
export const timeoutAfterCharging = () => new GatewayOutcomeUnknownError('timed out after charging');
/** A timeout before anything reached the gateway's ledger. */
export const timeoutBeforeCharging = () =>
  new GatewayOutcomeUnknownError('timed out before the gateway acted');
