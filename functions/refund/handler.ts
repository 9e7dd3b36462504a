/** POST /v1/refunds: refund all or part of an approved sale. */
import { maxAmount } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotentResult } from '../../shared/http/idempotency';
import { refundRequestSchema } from '../../shared/http/requests/transaction';
import { parseWith } from '../../shared/http/validation';
import { lazy } from '../../shared/lazy';
import { livePorts } from '../../shared/payments/live-ports';
import { refund } from '../../shared/payments/refund';

const ports = livePorts();
const max = maxAmount();
/** Built on the first request, not at cold start. */
const bodySchema = /* @__PURE__ */ lazy(() => refundRequestSchema(max));

export const handler = apiHandler(async (request) => {
  const body = parseWith(bodySchema(), request.body);
  const operation = refund(ports, {
    storefrontId: request.storefrontId,
    saleId: body.transactionId,
    amount: body.amount,
    reason: body.reason,
  });
  return idempotentResult(ports, request, 'txn', operation);
});
