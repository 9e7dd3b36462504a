/** POST /v1/sales/jwt: charge the one-time JWT from Clearent's browser SDK, saving the card to the customer. */
import { maxAmount } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { InvalidRequestError } from '../../shared/http/errors';
import { idempotentResult } from '../../shared/http/idempotency';
import { jwtSaleRequestSchema } from '../../shared/http/requests/transaction';
import { parseWith } from '../../shared/http/validation';
import { lazy } from '../../shared/lazy';
import { livePorts } from '../../shared/payments/live-ports';
import { jwtSale } from '../../shared/payments/sale';

const ports = livePorts();
const max = maxAmount();
/** Built on the first request, not at cold start. */
const bodySchema = /* @__PURE__ */ lazy(() => jwtSaleRequestSchema(max));

export const handler = apiHandler(async (request) => {
  const body = parseWith(bodySchema(), request.body);
  if (body.saveCard === true && body.customerId === undefined) {
    throw new InvalidRequestError(
      'validation_error',
      'saveCard needs a customerId to save the card to',
      'saveCard',
    );
  }
  const operation = jwtSale(ports, {
    storefrontId: request.storefrontId,
    amount: body.amount,
    jwt: body.jwt,
    customerId: body.customerId,
    saveCard: body.saveCard ?? true,
    orderId: body.orderId,
    description: body.description,
  });
  return idempotentResult(ports, request, 'txn', operation);
});
