/**
 * Gateway failures through the real handlers. Clearent refusing the storefront's credentials (401, also
 * after the secret is read again) is a `failed` transaction answered 502 (never a 401 for the
 * storefront), nothing charged, and a retry under the same key sends it again. Any 5xx to a sale or
 * refund leaves it `pending` (504 `outcome_unknown`, Retry-After), since Clearent may have processed it:
 * a refund keeps its hold, and the retry sends again only once a search found nothing and the settle
 * window has passed. An unreadable answer is unknown too, until a retry resolves it.
 */
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localSecretPrefix } from '../../infra/local/environment';
import { localCredentials, localRegion } from '../../infra/local/local-aws';
import { clearentSecretName } from '../../shared/secrets/clearent-credentials';
import {
  clearentApiKey,
  type ErrorAnswer,
  gatewayRequestTotal,
  shopB,
  startApi,
  type TestApi,
  type TransactionResource,
  unique,
} from './support/api';
import { type GatewayProxy, startGatewayProxy } from './support/gateway-proxy';
import { expectRetryAfter, lastSentAt, timed, waitOutSettleWindow } from './support/settle';

/** Short, so a test can wait it out; longer than a gateway call, as the configuration requires. */
const SETTLE_SECONDS = 2;
const CLIENT_TIMEOUT_MS = 500;
const MOBILE_SALE = 'POST /rest/v2/mobile/transactions/sale';
const REFUND = 'POST /rest/v2/transactions/refund';

let api: TestApi;
let secrets: SecretsManagerClient;
/** Between the handlers and the simulator, so that the gateway can refuse connections. */
let proxy: GatewayProxy;
const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;

/** Shop B's Clearent secret holds `apiKey`. */
async function setShopBClearentKey(apiKey: string): Promise<void> {
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: clearentSecretName(localSecretPrefix, shopB.storefrontId),
      SecretString: JSON.stringify({ apiKey }),
    }),
  );
}

beforeAll(async () => {
  proxy = await startGatewayProxy();
  api = await startApi({
    settleSeconds: SETTLE_SECONDS,
    clearentTimeoutMs: CLIENT_TIMEOUT_MS,
    clearentBaseUrl: proxy.url,
  });
  proxy.target = api.sandbox.url;
  // Shop B's merchant credentials are wrong before anything reads them: Clearent answers it 401.
  secrets = new SecretsManagerClient({
    endpoint: api.runtime.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    region: localRegion,
    credentials: localCredentials,
  });
  await setShopBClearentKey('clearent_wrong_test_key_not_secret');
});
afterAll(async () => {
  secrets.destroy();
  await api.close();
  await proxy.close();
});

describe('Function: jwt-sale, token-sale and refund handlers, gateway failures', () => {
  it('leaves a sale answered 503 unprocessed pending (504), and sends it again only after the settle window', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '15.00', jwt: api.jwt() };
    const salesBefore = requestsTo(MOBILE_SALE);
    api.sandbox.injectFault({ kind: 'http-error', status: 503, match: { operation: 'mobile-sale' } });

    // Act
    const { result: unknown, ...first } = await timed(() => api.post('/v1/sales/jwt', body, { key }));
    const id = unknown.json<ErrorAnswer>().transaction?.id ?? '';
    const sentAt = await lastSentAt(api, id);
    const { result: insideWindow, ...second } = await timed(() => api.post('/v1/sales/jwt', body, { key }));
    const sentInsideWindow = requestsTo(MOBILE_SALE) - salesBefore;
    await waitOutSettleWindow(api, id, SETTLE_SECONDS);
    const retried = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    // A 5xx may come after Clearent charged: the outcome is unknown, not a failure.
    expect(unknown.status).toBe(504);
    const answer = unknown.json<ErrorAnswer>();
    expect(answer.error).toMatchObject({ type: 'gateway_error', code: 'outcome_unknown' });
    expect(answer.transaction).toMatchObject({ status: 'pending', amount: '15.00', failureCode: null });
    expectRetryAfter(unknown, sentAt, SETTLE_SECONDS, first);
    expect(insideWindow.status).toBe(504);
    expect(insideWindow.json<ErrorAnswer>().transaction).toMatchObject({ id, status: 'pending' });
    expectRetryAfter(insideWindow, sentAt, SETTLE_SECONDS, second);
    expect(sentInsideWindow).toBe(1);
    // Past the window and still not found: sent again, with the same JWT, and charged once.
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json<TransactionResource>()).toMatchObject({ id, status: 'approved' });
    expect(requestsTo(MOBILE_SALE)).toBe(salesBefore + 2);
    expect(api.sandbox.ledger.chargesForInvoice(id)).toEqual([expect.objectContaining({ amount: 1500 })]);
  });

  it('answers 502 gateway_unavailable for a refused connection, charging nothing; the same key sends it once reachable', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '15.50', jwt: api.jwt() };
    const requestsBefore = gatewayRequestTotal(api.sandbox);

    // Act
    await proxy.refuse();
    const refused = await api.post('/v1/sales/jwt', body, { key });
    await proxy.accept();
    const reachedWhileRefused = gatewayRequestTotal(api.sandbox) - requestsBefore;
    const retried = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(refused.status).toBe(502);
    const answer = refused.json<ErrorAnswer>();
    expect(answer.error).toEqual({
      type: 'gateway_error',
      code: 'gateway_unavailable',
      message:
        'The card gateway could not be reached; nothing was charged. Retry with the same Idempotency-Key: ' +
        'the retry checks with the gateway first, so it cannot charge twice',
    });
    expect(answer.transaction).toMatchObject({
      status: 'failed',
      amount: '15.50',
      failureCode: 'gateway_unavailable',
    });
    expect(refused.headers['retry-after']).toBeUndefined();
    expect(reachedWhileRefused).toBe(0);
    // Known not charged: the retry sends it at once, no settle window to wait.
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({
      id: answer.transaction?.id,
      status: 'approved',
    });
    expect(requestsTo(MOBILE_SALE)).toBeGreaterThanOrEqual(1);
    expect(api.sandbox.ledger.chargesForInvoice(answer.transaction?.id ?? '')).toEqual([
      expect.objectContaining({ amount: 1550 }),
    ]);
  });

  it("answers 502 gateway_error, never 401, when Clearent refuses the storefront's credentials twice; the same key sends again once they are fixed", async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '16.00', jwt: api.jwt() };
    const chargesBefore = api.sandbox.ledger.chargeCount;
    const salesBefore = requestsTo(MOBILE_SALE);

    // Act
    const response = await api.post('/v1/sales/jwt', body, { key, apiKey: shopB.apiKey });
    const sentWithWrongKey = requestsTo(MOBILE_SALE) - salesBefore;
    await setShopBClearentKey(clearentApiKey);
    const retried = await api.post('/v1/sales/jwt', body, { key, apiKey: shopB.apiKey });

    // Assess
    expect(response.status).toBe(502);
    const answer = response.json<ErrorAnswer>();
    expect(answer.error).toEqual({
      type: 'gateway_error',
      code: 'gateway_authentication_failed',
      message:
        "The card gateway refused this storefront's credentials; nothing was charged. Retry with the same " +
        'Idempotency-Key: the retry checks with the gateway first, so it cannot charge twice once they are fixed',
    });
    expect(answer.transaction).toMatchObject({
      status: 'failed',
      amount: '16.00',
      failureCode: 'gateway_authentication_failed',
    });
    // Sent with the cached key, then once more after reading the secret again: both refused.
    expect(sentWithWrongKey).toBe(2);
    expect(response.text).not.toContain('clearent_wrong_test_key_not_secret');
    // The cached (wrong) key is refused once more, the secret read again, and the sale sent with it.
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({
      id: answer.transaction?.id,
      status: 'approved',
      failureCode: null,
    });
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore + 1);
    expect(api.sandbox.ledger.chargesForInvoice(answer.transaction?.id ?? '')).toHaveLength(1);
  });

  it('keeps the hold of a refund answered 500 unprocessed, and sends it again only after the settle window', async () => {
    // Prepare
    const sale = (await api.jwtSale('40.00')).json<TransactionResource>();
    const key = unique('idem');
    const body = { transactionId: sale.id, amount: '40.00' };
    const refundsBefore = requestsTo(REFUND);
    api.sandbox.injectFault({ kind: 'http-error', status: 500, match: { operation: 'refund' } });

    // Act
    const { result: unknown, ...first } = await timed(() => api.post('/v1/refunds', body, { key }));
    const refundId = unknown.json<ErrorAnswer>().transaction?.id ?? '';
    const sentAt = await lastSentAt(api, refundId);
    const heldWhilePending = (await api.store.transactions.get('shopA', sale.id))?.refunded;
    const other = await api.post('/v1/refunds', { transactionId: sale.id, amount: '0.01' });
    const insideWindow = await api.post('/v1/refunds', body, { key });
    const sentInsideWindow = requestsTo(REFUND) - refundsBefore;
    await waitOutSettleWindow(api, refundId, SETTLE_SECONDS);
    const retried = await api.post('/v1/refunds', body, { key });

    // Assess
    expect(unknown.status).toBe(504);
    expect(unknown.json<ErrorAnswer>()).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { type: 'refund', status: 'pending', amount: '40.00', saleId: sale.id },
    });
    expectRetryAfter(unknown, sentAt, SETTLE_SECONDS, first);
    // The hold stays while the refund's outcome is unknown: nothing else can be refunded.
    expect(heldWhilePending).toBe(4000);
    expect(other.status).toBe(422);
    expect(other.json<ErrorAnswer>().error.code).toBe('amount_exceeds_refundable');
    expect(insideWindow.status).toBe(504);
    expect(sentInsideWindow).toBe(1);
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({ id: refundId, status: 'approved' });
    expect(requestsTo(REFUND)).toBe(refundsBefore + 2);
    expect(api.sandbox.ledger.refundedAmount(sale.gateway?.transactionId ?? '')).toBe(4000);
    expect(await api.store.transactions.get('shopA', sale.id)).toMatchObject({ refunded: 4000 });
  });

  it('answers an unreadable sale answer 504 pending, and resolves the retry with one charge', async () => {
    // Prepare
    const { customerId, cardId } = await api.saveCard();
    const key = unique('idem');
    const body = { amount: '17.00', customerId, cardId };
    api.sandbox.injectFault({ kind: 'malformed', match: { operation: 'sale' } });

    // Act
    const unknown = await api.post('/v1/sales/token', body, { key });
    const retried = await api.post('/v1/sales/token', body, { key });

    // Assess
    expect(unknown.status).toBe(504);
    const id = unknown.json<ErrorAnswer>().transaction?.id ?? '';
    expect(unknown.json<ErrorAnswer>().transaction?.status).toBe('pending');
    expect(retried.status).toBe(201);
    expect(retried.json<TransactionResource>()).toMatchObject({ id, status: 'approved' });
    expect(api.sandbox.ledger.chargesForInvoice(id)).toHaveLength(1);
  });
});
