/** POST /v1/sales/token: charge a customer's stored card. */
import { maxAmount } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotentResult } from '../../shared/http/idempotency';
import { tokenSaleRequestSchema } from '../../shared/http/schemas/transaction';
import { parseWith } from '../../shared/http/validation';
import { livePorts } from '../../shared/payments/live-ports';
import { tokenSale } from '../../shared/payments/sale';

const ports = livePorts();
const bodySchema = tokenSaleRequestSchema(maxAmount());

export const handler = apiHandler(async (request) => {
  const body = parseWith(bodySchema, request.body);
  const operation = tokenSale(ports, { storefrontId: request.storefrontId, ...body });
  return idempotentResult(ports, request, 'txn', operation);
});
