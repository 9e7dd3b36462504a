/**
 * A sale Clearent finishes after our client gave up on it (contract, "Money movement under faults";
 * clearent-gateway.md, "Late completion"), through the real handlers. The simulator's clock is moved by
 * hand, so the late charge happens exactly when the test says: a retry before it searches, finds
 * nothing, and inside the settle window sends nothing (504 pending, Retry-After); a retry after it
 * finds and records the one charge. Later than the settle window, a late completion may meet a resend:
 * a JWT is refused then (used up), and a token charged twice under one invoice has the extra voided.
 */
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';
import { expectRetryAfter, lastSentAt, movableClock, timed, waitOutSettleWindow } from '../support/settle';

/** Short, so our client gives up long before the gateway finishes. */
const CLIENT_TIMEOUT_MS = 300;
/** Short, so a test can wait it out; far longer than a retry right after the first answer takes. */
const SETTLE_SECONDS = 2;
/** By the simulator's clock, which only the test moves this far. */
const COMPLETES_AFTER_MS = 60_000;
const SALE = 'POST /rest/v2/transactions/sale';
const MOBILE_SALE = 'POST /rest/v2/mobile/transactions/sale';
const SEARCH = 'GET /rest/v2/transactions';

const clock = movableClock();
let api: TestApi;

beforeAll(async () => {
  api = await startApi({
    clearentTimeoutMs: CLIENT_TIMEOUT_MS,
    settleSeconds: SETTLE_SECONDS,
    sandbox: { now: clock.now },
  });
});
afterAll(() => api.close());

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

describe('Function: token-sale and jwt-sale handlers, a sale the gateway completes after our client gave up', () => {
  it('answers 504 pending with Retry-After, sends nothing inside the window, and records the late charge once it shows', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '27.50', customerId, cardId, orderId: 'A-LATE' };
    const salesBefore = requestsTo(SALE);
    api.sandbox.injectFault({
      kind: 'late-completion',
      delayMs: COMPLETES_AFTER_MS,
      match: { operation: 'sale' },
    });

    // Act
    const { result: gaveUp, ...first } = await timed(() => api.post('/v1/sales/token', body, { key }));
    const id = gaveUp.json<ErrorAnswer>().transaction?.id ?? '';
    const sentAt = await lastSentAt(api, id);
    const searchesBefore = requestsTo(SEARCH);
    const { result: beforeCompletion, ...second } = await timed(() =>
      api.post('/v1/sales/token', body, { key }),
    );
    const searchedBeforeCompletion = requestsTo(SEARCH) - searchesBefore;
    const storedBeforeCompletion = await api.store.transactions.get('shopA', id);
    const chargedBeforeCompletion = api.sandbox.ledger.chargesForInvoice(id).length;
    clock.advance(COMPLETES_AFTER_MS);
    const completed = api.sandbox.flushDue();
    const afterCompletion = await api.post('/v1/sales/token', body, { key });
    const replayed = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(gaveUp.status).toBe(504);
    expect(gaveUp.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { status: 'pending', amount: '27.50', customerId, cardId, gateway: null },
    });
    expectRetryAfter(gaveUp, sentAt, SETTLE_SECONDS, first);
    // Searched by invoice, nothing there yet, well inside the window: pending still, nothing sent.
    expect(beforeCompletion.status).toBe(504);
    expect(beforeCompletion.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { id, status: 'pending' },
    });
    expectRetryAfter(beforeCompletion, sentAt, SETTLE_SECONDS, second);
    expect(searchedBeforeCompletion).toBe(1);
    expect(chargedBeforeCompletion).toBe(0);
    expect(storedBeforeCompletion).toMatchObject({ status: 'pending', sendCount: 1, lastSentAt: sentAt });
    // The gateway finished the sale it had received: its one charge is ours, found by the retry.
    expect(completed).toBe(1);
    const charges = api.sandbox.ledger.chargesForInvoice(id);
    expect(charges).toEqual([expect.objectContaining({ amount: 2750, orderId: 'A-LATE', customerId })]);
    expect(afterCompletion.status).toBe(201);
    expect(afterCompletion.json<TransactionResource>()).toMatchObject({
      id,
      status: 'approved',
      amount: '27.50',
      cardId,
      failureCode: null,
      gateway: { transactionId: charges[0]?.id, resultCode: '000' },
    });
    expect(afterCompletion.headers['retry-after']).toBeUndefined();
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.text).toBe(afterCompletion.text);
    expect(requestsTo(SALE)).toBe(salesBefore + 1);
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'approved',
      sendCount: 1,
      gateway: { transactionId: charges[0]?.id },
    });
  });

  it('voids the extra charge when a completion later than the window meets a resend of the same invoice', async () => {
    // Prepare: the first send completes only a minute later; past the window, the search finds nothing,
    // so the retry sends again, and that answer is lost too.
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '28.50', customerId, cardId };
    api.sandbox.injectFault({
      kind: 'late-completion',
      delayMs: COMPLETES_AFTER_MS,
      match: { operation: 'sale' },
    });
    const gaveUp = await api.post('/v1/sales/token', body, { key });
    const id = gaveUp.json<ErrorAnswer>().transaction?.id ?? '';
    await waitOutSettleWindow(api, id, SETTLE_SECONDS);
    api.sandbox.injectFault({ kind: 'reset-after-processing', match: { operation: 'sale' } });
    const resentLost = await api.post('/v1/sales/token', body, { key });
    const [resent] = api.sandbox.ledger.chargesForInvoice(id);

    // Act
    clock.advance(COMPLETES_AFTER_MS);
    const completed = api.sandbox.flushDue();
    const retried = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(gaveUp.status).toBe(504);
    expect(resentLost.status).toBe(504);
    expect(completed).toBe(1);
    const charges = api.sandbox.ledger.chargesForInvoice(id);
    expect(charges).toHaveLength(2);
    const late = charges.find((charge) => charge.id !== resent?.id);
    // The earlier charge is ours; the other is voided at the gateway and kept on our transaction.
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({
      id,
      status: 'approved',
      gateway: { transactionId: resent?.id },
    });
    expect(api.sandbox.ledger.voids).toEqual([
      expect.objectContaining({ originalId: late?.id, result: 'APPROVED', amount: 2850 }),
    ]);
    expect(api.sandbox.ledger.transactions.find((t) => t.id === late?.id)).toMatchObject({ voided: true });
    expect(await api.store.transactions.get('shopA', id)).toMatchObject({
      status: 'approved',
      sendCount: 2,
      reversedDuplicates: [expect.objectContaining({ gatewayTransactionId: late?.id, reversal: 'void' })],
    });
  });

  it('charges a JWT once when its late completion comes after the resend: the gateway refuses the used JWT', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '29.00', jwt: api.jwt() };
    const salesBefore = requestsTo(MOBILE_SALE);
    api.sandbox.injectFault({
      kind: 'late-completion',
      delayMs: COMPLETES_AFTER_MS,
      match: { operation: 'mobile-sale' },
    });
    const gaveUp = await api.post('/v1/sales/jwt', body, { key });
    const id = gaveUp.json<ErrorAnswer>().transaction?.id ?? '';

    // Act
    await waitOutSettleWindow(api, id, SETTLE_SECONDS);
    const resent = await api.post('/v1/sales/jwt', body, { key });
    clock.advance(COMPLETES_AFTER_MS);
    const completed = api.sandbox.flushDue();
    const read = await api.get(`/v1/transactions/${id}`);

    // Assess
    expect(gaveUp.status).toBe(504);
    expect(resent.status).toBe(201);
    expect(completed).toBe(1);
    expect(requestsTo(MOBILE_SALE)).toBe(salesBefore + 2);
    const charges = api.sandbox.ledger.chargesForInvoice(id);
    expect(charges).toEqual([expect.objectContaining({ amount: 2900 })]);
    expect(api.sandbox.ledger.transactionsForInvoice(id)).toHaveLength(1);
    expect(read.json<TransactionResource>()).toMatchObject({
      status: 'approved',
      gateway: { transactionId: charges[0]?.id },
    });
  });
});
