/** POST /v1/sales/token: charge a customer's stored card. */
import { maxAmount } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotentResult } from '../../shared/http/idempotency';
import { tokenSaleRequestSchema } from '../../shared/http/requests/transaction';
import { parseWith } from '../../shared/http/validation';
import { lazy } from '../../shared/lazy';
import { livePorts } from '../../shared/payments/live-ports';
import { tokenSale } from '../../shared/payments/sale';

const ports = livePorts();
const max = maxAmount();
/** Built on the first request, not at cold start. */
const bodySchema = /* @__PURE__ */ lazy(() => tokenSaleRequestSchema(max));

export const handler = apiHandler(async (request) => {
  const body = parseWith(bodySchema(), request.body);
  const operation = tokenSale(ports, { storefrontId: request.storefrontId, ...body });
  return idempotentResult(ports, request, 'txn', operation);
});
