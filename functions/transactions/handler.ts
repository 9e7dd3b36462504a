/** GET /v1/transactions/{transactionId} and GET /v1/transactions: read a storefront's transactions. */
import { cursorSecretName, tableName } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { NotFoundError } from '../../shared/http/errors';
import { transactionListQuerySchema } from '../../shared/http/requests/transaction';
import { parseWith, transactionIdSchema } from '../../shared/http/validation';
import { toTransactionResource } from '../../shared/payments/transaction';
import { liveCursorCodec } from '../../shared/secrets/cursor-secret';
import { documentClient } from '../../shared/store/dynamo';
import { DynamoTransactionTimeline } from '../../shared/store/transaction-timeline';
import { DynamoTransactionRepository } from '../../shared/store/transactions';

const transactions = new DynamoTransactionRepository(documentClient(), tableName());
const timeline = new DynamoTransactionTimeline(documentClient(), tableName(), liveCursorCodec);
// Lists sign their cursors with this secret (read on the first list): without its name, fail at cold start.
cursorSecretName();

export const handler = apiHandler(async (request) => {
  const { transactionId } = request.pathParameters;
  if (transactionId !== undefined) {
    const id = parseWith(transactionIdSchema(), transactionId, 'transactionId');
    const transaction = await transactions.get(request.storefrontId, id);
    if (!transaction) throw new NotFoundError('transaction', 'transactionId');
    return { statusCode: 200, body: toTransactionResource(transaction) };
  }
  const query = parseWith(transactionListQuerySchema(), request.query);
  const page = await timeline.list({
    storefrontId: request.storefrontId,
    ...query,
    limit: query.limit ?? 10,
  });
  return {
    statusCode: 200,
    body: { data: page.data.map(toTransactionResource), nextCursor: page.nextCursor },
  };
});
