/**
 * Clearent's sandbox trigger amounts ("Error Generation Data for Testing", the full table): a sale or
 * refund of a listed amount gets that row's result. 0.49, 0.80, 0.81 and 0.82 are listed as approvals;
 * 0.04, listed under both 004 and 023, is 004 (Clearent's first summary). Amounts not listed approve,
 * except JWT sales under 1.00 when the `mobileAmountsUnderOneDecline` behaviour is on (see `charge.ts`).
 */
import type { Cents } from '../../shared/money';

export interface TriggeredResult {
  resultCode: string;
  displayMessage: string;
  /** 402 for a decline; 009, 011, 018 and 022 are answered 400, as the table says. */
  httpStatus: 400 | 402;
}

/** One row of the table: its result and the amounts, in cents, that trigger it. */
type Row = [resultCode: string, httpStatus: 200 | 400 | 402, message: string, amounts: number[]];

const TABLE: readonly Row[] = [
  ['000', 200, 'Approved', [49, 80, 81, 82]],
  ['003', 402, 'Declined by Issuer – Card expired', [29]],
  ['004', 402, 'Card Expired', [4, 5]],
  ['006', 402, 'Allowable Pin Entries Exceeded', [40]],
  ['007', 402, 'Declined by Issuer – Referred – Please call Card Issuer', [1, 2]],
  ['008', 402, 'Declined by Issuer – Invalid Amount', [11, 32]],
  ['009', 400, 'Invalid Card Number', [14]],
  ['010', 402, 'Declined by Issuer – Account not found', [36, 37, 38]],
  ['011', 400, 'Invalid Request', [31, 35, 39]],
  ['012', 402, 'Not Sufficient Funds', [21]],
  ['014', 402, 'Declined by Issuer – Exceeds amount limit', [23]],
  ['015', 402, 'Declined by Issuer – Transaction not permitted', [43, 44]],
  ['016', 402, 'Declined by Issuer – Frequency limit exceeded', [22, 25, 71]],
  ['018', 400, 'Invalid Pin', [12, 13, 47]],
  ['021', 402, 'Declined by Issuer – Invalid card security code', [48]],
  ['022', 400, 'Cashback Amount Exceeded', [16]],
  ['023', 402, 'Transaction Declined By Issuer', [9, 15, 17]],
  ['024', 402, 'Previously Reversed', [10]],
  ['027', 402, 'Original Not Found', [34]],
  ['030', 402, 'Invalid merchant ID – Please call Customer Support', [46]],
  ['031', 402, 'Transaction Did Not Complete Normally, Please Retry', [3]],
  ['032', 402, 'Duplicate Transaction', [54]],
];

/** Listed amounts in cents; `undefined` for a listed approval. */
const TRIGGERS = new Map<number, TriggeredResult | undefined>(
  TABLE.flatMap(([resultCode, httpStatus, displayMessage, amounts]) =>
    amounts.map((amount): [number, TriggeredResult | undefined] => [
      amount,
      httpStatus === 200 ? undefined : { resultCode, displayMessage, httpStatus },
    ]),
  ),
);

/** The forced decline for a trigger amount, or `undefined` when the amount approves. */
export function triggeredResult(amount: Cents): TriggeredResult | undefined {
  return TRIGGERS.get(amount);
}

/** Whether the table lists this amount at all (approvals included). */
export function isTriggerAmount(amount: Cents): boolean {
  return TRIGGERS.has(amount);
}
