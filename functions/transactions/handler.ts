/** GET /v1/transactions/{transactionId} and GET /v1/transactions: read a storefront's transactions. */
import * as z from 'zod';
import { cursorSecretName } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { InvalidRequestError, NotFoundError } from '../../shared/http/errors';
import {
  customerIdSchema,
  parseWith,
  subscriptionIdSchema,
  transactionIdSchema,
} from '../../shared/http/validation';
import { livePorts } from '../../shared/payments/live-ports';
import { toTransactionResource } from '../../shared/payments/transaction';
import { InvalidCursorError } from '../../shared/store/transactions';

const ports = livePorts();
// Lists sign their cursors with this secret (read on the first list): without its name, fail at cold start.
cursorSecretName();

const listQuerySchema = z.strictObject({
  customerId: customerIdSchema.optional(),
  subscriptionId: subscriptionIdSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().min(1, 'limit must be at least 1').max(100, 'limit must be at most 100'))
    .optional(),
  cursor: z.string().min(1).max(2048).optional(),
});

export const handler = apiHandler(async (request) => {
  const { transactionId } = request.pathParameters;
  if (transactionId !== undefined) {
    const id = parseWith(transactionIdSchema, transactionId, 'transactionId');
    const transaction = await ports.transactions.get(request.storefrontId, id);
    if (!transaction) throw new NotFoundError('transaction', 'transactionId');
    return { statusCode: 200, body: toTransactionResource(transaction) };
  }
  const query = parseWith(listQuerySchema, request.query);
  try {
    const page = await ports.transactions.list({
      storefrontId: request.storefrontId,
      ...query,
      limit: query.limit ?? 10,
    });
    return {
      statusCode: 200,
      body: { data: page.data.map(toTransactionResource), nextCursor: page.nextCursor },
    };
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new InvalidRequestError('invalid_cursor', 'cursor is not one this list handed out', 'cursor');
    }
    throw error;
  }
});
