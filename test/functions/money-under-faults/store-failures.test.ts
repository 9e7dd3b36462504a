/**
 * DynamoDB failing around a sale (contract, Errors: "Once a request has reached the gateway, no later
 * failure of ours may answer a bare 500"), through the real handlers: the handlers' own repository is
 * made to fail one write. After the gateway approved, the answer is 504 `outcome_unknown` with the
 * pending transaction and Retry-After, and the retry records the charge without charging again. Before
 * anything reached the gateway, a 500 is the honest answer, and nothing was sent.
 */
import { DynamoTransactionRepository } from '../../../shared/store/transactions';
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';
import { expectRetryAfter, lastSentAt, timed } from '../support/settle';

const SETTLE_SECONDS = 60;
const SALE = 'POST /rest/v2/transactions/sale';

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ settleSeconds: SETTLE_SECONDS });
});
afterAll(() => api.close());
afterEach(() => jest.restoreAllMocks());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;
const storeError = () => new Error('DynamoDB: connection reset by peer');
const settle = DynamoTransactionRepository.prototype.settle;

describe('Function: token-sale handler, DynamoDB failing', () => {
  it.each([
    [
      'before the approval is written',
      async function (this: DynamoTransactionRepository): Promise<never> {
        throw storeError();
      },
      'pending',
    ],
    [
      'after the approval was written (its answer lost)',
      async function (this: DynamoTransactionRepository, ...args: Parameters<typeof settle>): Promise<never> {
        await settle.apply(this, args);
        throw storeError();
      },
      'approved',
    ],
  ])(
    '%s: answers 504 outcome_unknown, never 500, and the retry records the one charge',
    async (_case, fail, storedAfterFailure) => {
      // Prepare
      const { customerId, cardId } = await api.saveCard();
      const key = unique('idem');
      const body = { amount: '18.25', customerId, cardId };
      const salesBefore = requestsTo(SALE);
      jest.spyOn(DynamoTransactionRepository.prototype, 'settle').mockImplementationOnce(fail);

      // Act
      const { result: failed, ...span } = await timed(() => api.post('/v1/sales/token', body, { key }));
      const id = failed.json<ErrorAnswer>().transaction?.id ?? '';
      const stored = await api.store.transactions.get('shopA', id);
      const retried = await api.post('/v1/sales/token', body, { key });

      // Assess
      expect(failed.status).toBe(504);
      expect(failed.json<ErrorAnswer>()).toMatchObject({
        error: { type: 'gateway_error', code: 'outcome_unknown' },
        transaction: { id, status: 'pending', amount: '18.25', cardId },
      });
      expectRetryAfter(failed, await lastSentAt(api, id), SETTLE_SECONDS, span);
      expect(stored).toMatchObject({ status: storedAfterFailure, sendCount: 1 });
      const charges = api.sandbox.ledger.chargesForInvoice(id);
      expect(charges).toEqual([expect.objectContaining({ amount: 1825 })]);
      expect(retried.status).toBe(201);
      expect(retried.json<TransactionResource>()).toMatchObject({
        id,
        status: 'approved',
        gateway: { transactionId: charges[0]?.id },
      });
      expect(requestsTo(SALE)).toBe(salesBefore + 1);
      expect(api.sandbox.ledger.chargesForInvoice(id)).toHaveLength(1);
      expect(await api.store.transactions.get('shopA', id)).toMatchObject({ status: 'approved' });
    },
  );

  // Found by this test: a retry whose search finds the charge must answer 504 outcome_unknown, not a
  // bare 500 ("nothing reached the gateway"), when recording it fails.
  it('answers 504 outcome_unknown, never 500, when recording the charge a retry found fails', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '18.75', customerId, cardId };
    api.sandbox.injectFault({ kind: 'reset-after-processing', match: { operation: 'sale' } });
    const lost = await api.post('/v1/sales/token', body, { key });
    const id = lost.json<ErrorAnswer>().transaction?.id ?? '';
    const salesBefore = requestsTo(SALE);
    jest.spyOn(DynamoTransactionRepository.prototype, 'settle').mockRejectedValueOnce(storeError());

    // Act
    const { result: retried, ...span } = await timed(() => api.post('/v1/sales/token', body, { key }));
    const again = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(lost.status).toBe(504);
    expect(api.sandbox.ledger.chargesForInvoice(id)).toHaveLength(1);
    expect(retried.status).toBe(504);
    expect(retried.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { id, status: 'pending' },
    });
    expectRetryAfter(retried, await lastSentAt(api, id), SETTLE_SECONDS, span);
    expect(again.status).toBe(201);
    expect(requestsTo(SALE)).toBe(salesBefore);
    expect(api.sandbox.ledger.chargesForInvoice(id)).toHaveLength(1);
  });

  it('answers 500 when the first write fails, before anything reached the gateway; the retry charges once', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '18.50', customerId, cardId };
    const salesBefore = requestsTo(SALE);
    jest.spyOn(DynamoTransactionRepository.prototype, 'create').mockRejectedValueOnce(storeError());

    // Act
    const failed = await api.post('/v1/sales/token', body, { key });
    const sentBeforeRetry = requestsTo(SALE) - salesBefore;
    const retried = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(failed.status).toBe(500);
    expect(failed.json<ErrorAnswer>()).toEqual({
      error: { type: 'api_error', code: 'internal_error', message: 'Something went wrong on our side' },
    });
    expect(sentBeforeRetry).toBe(0);
    expect(retried.status).toBe(201);
    const sale = retried.json<TransactionResource>();
    expect(sale).toMatchObject({ status: 'approved', amount: '18.50' });
    expect(api.sandbox.ledger.chargesForInvoice(sale.id)).toEqual([
      expect.objectContaining({ amount: 1850 }),
    ]);
    expect(requestsTo(SALE)).toBe(salesBefore + 1);
  });
});
