/** POST /v1/refunds: refund all or part of an approved sale. */
import * as z from 'zod';
import { maxAmount } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotentResult } from '../../shared/http/idempotency';
import {
  amountSchema,
  descriptionSchema,
  parseWith,
  transactionIdSchema,
} from '../../shared/http/validation';
import { livePorts } from '../../shared/payments/live-ports';
import { refund } from '../../shared/payments/refund';

const ports = livePorts();

const bodySchema = z.strictObject({
  transactionId: transactionIdSchema,
  amount: amountSchema(maxAmount()).optional(),
  reason: descriptionSchema.optional(),
});

export const handler = apiHandler(async (request) => {
  const body = parseWith(bodySchema, request.body);
  const operation = refund(ports, {
    storefrontId: request.storefrontId,
    saleId: body.transactionId,
    amount: body.amount,
    reason: body.reason,
  });
  return idempotentResult(ports, request, 'txn', operation);
});
