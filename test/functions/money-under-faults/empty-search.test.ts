/**
 * A search that finds nothing, in each of the three ways Clearent may say so (contract, "Money movement
 * under faults"; clearent-gateway.md, "Search answers"): 200 with an empty list, 204 No Content, 404.
 * Each means "no record": a pending sale the gateway never received is not stuck. Past the settle window
 * a retry under its key sends it again, and reconciliation records it `failed` / `not_charged`, after
 * which a retry sends it again too. Either way: exactly one charge.
 */
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';
import { waitOutSettleWindow } from '../support/settle';

/** Short, so the test can wait it out; longer than a gateway call, as the configuration requires. */
const SETTLE_SECONDS = 1;
const CLIENT_TIMEOUT_MS = 500;
const SALE = 'POST /rest/v2/transactions/sale';
const SEARCH = 'GET /rest/v2/transactions';

let api: TestApi;

beforeAll(async () => {
  api = await startApi({ settleSeconds: SETTLE_SECONDS, clearentTimeoutMs: CLIENT_TIMEOUT_MS });
});
afterAll(() => api.close());
afterEach(() => api.sandbox.reset());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

/** A token sale the gateway never received (the connection dropped before it was processed): 504 pending. */
async function pendingUncharged(card: { customerId: string; cardId: string }, amount: string) {
  const key = unique('idem');
  const body = { amount, customerId: card.customerId, cardId: card.cardId };
  api.sandbox.injectFault({ kind: 'reset-before-processing', match: { operation: 'sale' } });
  const response = await api.post('/v1/sales/token', body, { key });
  expect(response.status).toBe(504);
  const transaction = response.json<ErrorAnswer>().transaction;
  expect(transaction).toMatchObject({ status: 'pending', amount });
  return { key, body, id: transaction?.id ?? '' };
}

describe.each([200, 204, 404] as const)(
  'Function: token-sale handler, a search answered %i with nothing',
  (status) => {
    it('sends a pending sale again once the window has passed, charging it once', async () => {
      // Prepare
      const card = await api.saveCard();
      api.sandbox.configure({ emptySearchStatus: status });
      const pending = await pendingUncharged(card, '14.20');
      const salesBefore = requestsTo(SALE);
      const searchesBefore = requestsTo(SEARCH);

      // Act
      await waitOutSettleWindow(api, pending.id, SETTLE_SECONDS);
      const retried = await api.post('/v1/sales/token', pending.body, { key: pending.key });

      // Assess
      expect(retried.status).toBe(201);
      expect(retried.json<TransactionResource>()).toMatchObject({ id: pending.id, status: 'approved' });
      // One search (read as "no record", not retried as a failure), then the sale sent once more.
      expect(requestsTo(SEARCH)).toBe(searchesBefore + 1);
      expect(requestsTo(SALE)).toBe(salesBefore + 1);
      expect(api.sandbox.ledger.chargesForInvoice(pending.id)).toEqual([
        expect.objectContaining({ amount: 1420, invoice: pending.id }),
      ]);
      expect(await api.store.transactions.get('shopA', pending.id)).toMatchObject({
        status: 'approved',
        sendCount: 2,
      });
    });

    it('is recorded failed not_charged by reconciliation, and a retry then charges it once', async () => {
      // Prepare
      const card = await api.saveCard();
      api.sandbox.configure({ emptySearchStatus: status });
      const pending = await pendingUncharged(card, '14.30');
      const pastWindow = new Date(Date.now() + (SETTLE_SECONDS + 1) * 1000);

      // Act
      const run = await api.runReconciliation(pastWindow);
      const afterRun = await api.get(`/v1/transactions/${pending.id}`);
      const retried = await api.post('/v1/sales/token', pending.body, { key: pending.key });

      // Assess
      expect(run.status).toBe(200);
      expect(run.json()).toMatchObject({
        examined: 1,
        resolved: 0,
        notCharged: 1,
        unresolved: 0,
        complete: true,
      });
      expect(afterRun.json<TransactionResource>()).toMatchObject({
        id: pending.id,
        status: 'failed',
        failureCode: 'not_charged',
      });
      expect(retried.status).toBe(201);
      expect(retried.json<TransactionResource>()).toMatchObject({
        id: pending.id,
        status: 'approved',
        failureCode: null,
      });
      expect(api.sandbox.ledger.chargesForInvoice(pending.id)).toEqual([
        expect.objectContaining({ amount: 1430, invoice: pending.id }),
      ]);
    });
  },
);
