/**
 * A refund answered 5xx after the gateway made it (contract, "Refunds"): its hold on the sale stays
 * while its outcome is unknown, so nothing else can be refunded beside it, and the retry under its key
 * finds and records it. Refunds never exceed the sale.
 */
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';
import { expectRetryAfter, lastSentAt, timed } from '../support/settle';

/** Long: nothing in this file may be sent again because the window passed. */
const SETTLE_SECONDS = 60;
const REFUND = 'POST /rest/v2/transactions/refund';

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ settleSeconds: SETTLE_SECONDS });
});
afterAll(() => api.close());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

describe('Function: refund handler, a refund answered 5xx after the gateway refunded', () => {
  it.each([500, 503] as const)(
    'answered %i: keeps its hold (a refund of the rest is 422), and the retry records it (201)',
    async (status) => {
      // Prepare
      const sale = (await api.jwtSale('60.00')).json<TransactionResource>();
      const gatewaySaleId = sale.gateway?.transactionId ?? '';
      const key = unique('idem');
      const body = { transactionId: sale.id };
      const refundsBefore = requestsTo(REFUND);
      api.sandbox.injectFault({
        kind: 'http-error',
        status,
        processed: true,
        match: { operation: 'refund' },
      });

      // Act
      const { result: unknown, ...span } = await timed(() => api.post('/v1/refunds', body, { key }));
      const refundId = unknown.json<ErrorAnswer>().transaction?.id ?? '';
      const saleWhilePending = await api.store.transactions.get('shopA', sale.id);
      const rest = await api.post('/v1/refunds', { transactionId: sale.id });
      const cent = await api.post('/v1/refunds', { transactionId: sale.id, amount: '0.01' });
      const retried = await api.post('/v1/refunds', body, { key });
      const replayed = await api.post('/v1/refunds', body, { key });
      const read = await api.get(`/v1/transactions/${sale.id}`);

      // Assess
      expect(unknown.status).toBe(504);
      expect(unknown.json<ErrorAnswer>()).toMatchObject({
        error: { type: 'gateway_error', code: 'outcome_unknown' },
        transaction: { type: 'refund', status: 'pending', amount: '60.00', saleId: sale.id },
      });
      expectRetryAfter(unknown, await lastSentAt(api, refundId), SETTLE_SECONDS, span);
      expect(saleWhilePending).toMatchObject({ status: 'approved', amount: 6000, refunded: 6000 });
      for (const refused of [rest, cent]) {
        expect(refused.status).toBe(422);
        expect(refused.json<ErrorAnswer>().error).toMatchObject({
          type: 'invalid_request_error',
          code: 'amount_exceeds_refundable',
          message: 'The refund exceeds what remains refundable on this sale (0.00)',
        });
      }
      expect(retried.status).toBe(201);
      expect(retried.json<TransactionResource>()).toMatchObject({
        id: refundId,
        type: 'refund',
        status: 'approved',
        amount: '60.00',
      });
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.text).toBe(retried.text);
      // One refund request reached the gateway, and it refunded the sale once, in full.
      expect(requestsTo(REFUND)).toBe(refundsBefore + 1);
      const refunds = api.sandbox.ledger.transactionsForInvoice(refundId);
      expect(refunds).toEqual([
        expect.objectContaining({
          type: 'REFUND',
          result: 'APPROVED',
          amount: 6000,
          originalId: gatewaySaleId,
        }),
      ]);
      expect(retried.json<TransactionResource>().gateway?.transactionId).toBe(refunds[0]?.id);
      expect(api.sandbox.ledger.refundedAmount(gatewaySaleId)).toBe(6000);
      expect(read.json<TransactionResource>()).toMatchObject({ amount: '60.00', refundedAmount: '60.00' });
      expect(await api.store.transactions.get('shopA', refundId)).toMatchObject({ status: 'approved' });
    },
  );
});
