/**
 * Clearent's sandbox trigger amounts: a sale or refund of one of these amounts gets a fixed result.
 * Every other amount approves. (Clearent's mobile docs also say any mobile amount under 1.00 declines;
 * the simulator does not do that, it follows this table only.)
 */
import type { Cents } from '../../shared/money';

export interface TriggeredResult {
  resultCode: string;
  displayMessage: string;
  /** 402 for a decline; 0.14 (invalid card) is answered 400, as Clearent documents. */
  httpStatus: 400 | 402;
}

const REFERRAL = { resultCode: '007', displayMessage: 'Declined - Call issuer (referral)' };
const EXPIRED = { resultCode: '004', displayMessage: 'Declined by Issuer - Expired card' };
const DECLINED = { resultCode: '023', displayMessage: 'Declined by Issuer' };

/** Keyed by the amount in cents. */
const TRIGGERS = new Map<number, Omit<TriggeredResult, 'httpStatus'>>([
  [1, REFERRAL],
  [2, REFERRAL],
  [3, { resultCode: '031', displayMessage: 'Transaction did not complete - please retry' }],
  [4, EXPIRED],
  [5, EXPIRED],
  [9, DECLINED],
  [15, DECLINED],
  [17, DECLINED],
  [10, { resultCode: '024', displayMessage: 'Transaction previously reversed' }],
  [11, { resultCode: '008', displayMessage: 'Declined - Invalid amount' }],
  [14, { resultCode: '009', displayMessage: 'Invalid card number' }],
  [21, { resultCode: '012', displayMessage: 'Declined by Issuer - Insufficient funds' }],
  [22, { resultCode: '016', displayMessage: 'Declined by Issuer - Exceeds frequency limit' }],
  [23, { resultCode: '014', displayMessage: 'Declined by Issuer - Exceeds amount limit' }],
  [29, { resultCode: '003', displayMessage: 'Declined by Issuer - Expired card' }],
  [34, { resultCode: '027', displayMessage: 'Original transaction not found' }],
  [36, { resultCode: '010', displayMessage: 'Declined by Issuer - Account not found' }],
  [43, { resultCode: '015', displayMessage: 'Declined by Issuer - Transaction not permitted' }],
  [48, { resultCode: '021', displayMessage: 'Declined by Issuer - Invalid card security code' }],
  [54, { resultCode: '032', displayMessage: 'Duplicate transaction' }],
]);

/** The forced result for a trigger amount, or `undefined` when the amount approves. */
export function triggeredResult(amount: Cents): TriggeredResult | undefined {
  const trigger = TRIGGERS.get(amount);
  if (!trigger) return undefined;
  return { ...trigger, httpStatus: trigger.resultCode === '009' ? 400 : 402 };
}
