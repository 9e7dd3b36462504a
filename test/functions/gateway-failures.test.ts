/**
 * Gateway failures through the real handlers: a refusal before any card outcome is a `failed`
 * transaction answered 502 (never a 401 for the storefront), nothing is charged and a refund gives its
 * hold back; an unavailable gateway's 502 may be retried under the same key; an unreadable answer to a sale leaves its outcome unknown (504) until a retry resolves it.
 */
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localSecretPrefix } from '../../infra/local/environment';
import { localCredentials, localRegion } from '../../infra/local/local-aws';
import { clearentSecretName } from '../../shared/secrets/clearent-credentials';
import {
  type ErrorAnswer,
  shopB,
  startApi,
  type TestApi,
  type TransactionResource,
  unique,
} from './support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
  // Shop B's merchant credentials are wrong before anything reads them: Clearent answers it 401.
  const secrets = new SecretsManagerClient({
    endpoint: api.runtime.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    region: localRegion,
    credentials: localCredentials,
  });
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: clearentSecretName(localSecretPrefix, shopB.storefrontId),
      SecretString: JSON.stringify({ apiKey: 'clearent_wrong_test_key_not_secret' }),
    }),
  );
  secrets.destroy();
});
afterAll(() => api.close());

describe('Function: jwt-sale, token-sale and refund handlers, gateway failures', () => {
  it('answers a sale the gateway refuses unprocessed (503) 502 failed, and a retry under the same key charges it once', async () => {
    // Prepare
    const key = unique('idem');
    const body = { amount: '15.00', jwt: api.jwt() };
    api.sandbox.injectFault({ kind: 'http-error', status: 503, match: { operation: 'mobile-sale' } });

    // Act
    const failed = await api.post('/v1/sales/jwt', body, { key });
    const retried = await api.post('/v1/sales/jwt', body, { key });

    // Assess
    expect(failed.status).toBe(502);
    const answer = failed.json<ErrorAnswer>();
    expect(answer.error).toMatchObject({ type: 'gateway_error', code: 'gateway_unavailable' });
    expect(answer.transaction).toMatchObject({ status: 'failed', amount: '15.00' });
    // The retry asked the gateway first (nothing under that invoice), then sent the same JWT once.
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json<TransactionResource>()).toMatchObject({
      id: answer.transaction?.id,
      status: 'approved',
    });
    expect(api.sandbox.ledger.chargesForInvoice(answer.transaction?.id ?? '')).toHaveLength(1);
  });

  it("answers 502 gateway_error, never 401, when Clearent refuses the storefront's credentials", async () => {
    // Prepare
    const chargesBefore = api.sandbox.ledger.chargeCount;

    // Act
    const response = await api.jwtSale('16.00', {}, { apiKey: shopB.apiKey });

    // Assess
    expect(response.status).toBe(502);
    const answer = response.json<ErrorAnswer>();
    expect(answer.error).toEqual({
      type: 'gateway_error',
      code: 'gateway_authentication_failed',
      message: "The card gateway refused this storefront's credentials; nothing was charged",
    });
    expect(answer.transaction).toMatchObject({ status: 'failed', amount: '16.00' });
    expect(api.sandbox.ledger.chargeCount).toBe(chargesBefore);
    expect(response.text).not.toContain('clearent_wrong_test_key_not_secret');
  });

  it('gives a refund the gateway refuses (500) its hold back: the whole sale stays refundable', async () => {
    // Prepare
    const sale = (await api.jwtSale('40.00')).json<TransactionResource>();
    api.sandbox.injectFault({ kind: 'http-error', status: 500, match: { operation: 'refund' } });

    // Act
    const failed = await api.post('/v1/refunds', { transactionId: sale.id, amount: '40.00' });
    const afterFailure = await api.store.transactions.get('shopA', sale.id);
    const retried = await api.post('/v1/refunds', { transactionId: sale.id, amount: '40.00' });

    // Assess
    expect(failed.status).toBe(502);
    expect(failed.json<ErrorAnswer>().transaction).toMatchObject({ type: 'refund', status: 'failed' });
    expect(afterFailure?.refunded).toBe(0);
    expect(retried.status).toBe(201);
    expect(api.sandbox.ledger.refundedAmount(sale.gateway?.transactionId ?? '')).toBe(4000);
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
