/**
 * Reconciliation (contract, "Reconciliation"), through `POST /_local/run-reconciliation` and the real
 * handlers: pending sales and refunds nobody retries are resolved once they are past the settle window
 * (the default 120 s, reached by running at a later `now`). Found at the gateway: recorded. Absent:
 * `failed` / `not_charged`, a refund's hold given back, and a retry under the same key sends it again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { localTableName } from '../../../infra/local/environment';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import type { SandboxOperation } from '../../../infra/sandbox';
import { keys } from '../../../shared/store/keys';
import { type ErrorAnswer, startApi, type TestApi, type TransactionResource, unique } from '../support/api';

const SETTLE_SECONDS = 120;
const SALE = 'POST /rest/v2/transactions/sale';
const REFUND = 'POST /rest/v2/transactions/refund';

let api: TestApi;
let dynamoDb: DynamoDBClient;

beforeAll(async () => {
  api = await startApi();
  dynamoDb = new DynamoDBClient({
    endpoint: api.runtime.environment.AWS_ENDPOINT_URL_DYNAMODB,
    region: localRegion,
    credentials: localCredentials,
  });
});
afterAll(async () => {
  dynamoDb.destroy();
  await api.close();
});

/** The time to live of shop A's Idempotency-Key record, as stored; `undefined` when it never expires. */
async function keyExpiry(key: string): Promise<number | undefined> {
  const { Item } = await DynamoDBDocumentClient.from(dynamoDb).send(
    new GetCommand({ TableName: localTableName, Key: keys.idempotency('shopA', key), ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no idempotency record for ${key}`);
  return Item.expiresAt as number | undefined;
}

const requestsTo = (endpoint: string) => api.sandbox.ledger.requestCounts[endpoint] ?? 0;
const readTransaction = async (id: string) =>
  (await api.get(`/v1/transactions/${id}`)).json<TransactionResource>();

/** A POST the gateway answered with nothing (`fault`): 504 pending. */
async function lostAnswer(
  path: string,
  body: Record<string, unknown>,
  fault: 'reset-after-processing' | 'reset-before-processing',
  operation: SandboxOperation,
) {
  const key = unique('idem');
  api.sandbox.injectFault({ kind: fault, match: { operation } });
  const response = await api.post(path, body, { key });
  expect(response.status).toBe(504);
  const id = response.json<ErrorAnswer>().transaction?.id ?? '';
  expect(await readTransaction(id)).toMatchObject({ status: 'pending' });
  return { key, body, id };
}

describe('Function: run-reconciliation, pending sales and refunds nobody retries', () => {
  it('records a charged sale, marks an absent sale and refund not_charged, and leaves the keys to resend', async () => {
    // Prepare
    const { customerId, cardId, sale: refundable } = await api.saveCard();
    const card = { customerId, cardId };
    const charged = await lostAnswer(
      '/v1/sales/token',
      { amount: '41.00', ...card },
      'reset-after-processing',
      'sale',
    );
    const absent = await lostAnswer(
      '/v1/sales/token',
      { amount: '42.00', ...card },
      'reset-before-processing',
      'sale',
    );
    const refund = await lostAnswer(
      '/v1/refunds',
      { transactionId: refundable.id, amount: '2.00' },
      'reset-before-processing',
      'refund',
    );
    const heldBefore = (await api.store.transactions.get('shopA', refundable.id))?.refunded;
    const salesBefore = requestsTo(SALE);
    const refundsBefore = requestsTo(REFUND);
    const pendingKeys = [charged.key, absent.key, refund.key];
    const expiriesWhilePending = await Promise.all(pendingKeys.map(keyExpiry));

    // Act
    const insideWindow = await api.runReconciliation();
    const pastWindow = await api.runReconciliation(new Date(Date.now() + (SETTLE_SECONDS + 1) * 1000));
    const again = await api.runReconciliation(new Date(Date.now() + (SETTLE_SECONDS + 1) * 1000));
    const chargedAfter = await readTransaction(charged.id);
    const absentAfter = await readTransaction(absent.id);
    const refundAfter = await readTransaction(refund.id);
    const heldAfter = (await api.store.transactions.get('shopA', refundable.id))?.refunded;
    const sentByReconciliation = requestsTo(SALE) - salesBefore + (requestsTo(REFUND) - refundsBefore);
    const expiriesOnceKnown = await Promise.all(pendingKeys.map(keyExpiry));
    const chargedRetry = await api.post('/v1/sales/token', charged.body, { key: charged.key });
    const absentRetry = await api.post('/v1/sales/token', absent.body, { key: absent.key });
    const refundRetry = await api.post('/v1/refunds', refund.body, { key: refund.key });

    // Assess
    expect(insideWindow.status).toBe(200);
    expect(insideWindow.json()).toMatchObject({ examined: 0, resolved: 0, notCharged: 0, complete: true });
    expect(pastWindow.status).toBe(200);
    expect(pastWindow.json()).toMatchObject({ examined: 3, resolved: 1, notCharged: 2, unresolved: 0 });
    expect(again.json()).toMatchObject({ examined: 0 });
    expect(sentByReconciliation).toBe(0);
    // A key never expires while its transaction is pending; once it is known, its 24 hours run.
    expect(expiriesWhilePending).toEqual([undefined, undefined, undefined]);
    const inADay = Math.floor(Date.now() / 1000) + 24 * 3600;
    for (const expiry of expiriesOnceKnown) {
      expect(expiry).toBeGreaterThan(inADay - 120);
      expect(expiry).toBeLessThanOrEqual(inADay);
    }
    // Found at the gateway: recorded as the gateway has it, and its key replays the approval.
    const [charge] = api.sandbox.ledger.chargesForInvoice(charged.id);
    expect(charge).toMatchObject({ amount: 4100 });
    expect(chargedAfter).toMatchObject({
      status: 'approved',
      failureCode: null,
      gateway: { transactionId: charge?.id, resultCode: '000' },
    });
    expect(chargedRetry.status).toBe(201);
    expect(chargedRetry.headers['idempotent-replayed']).toBe('true');
    expect(chargedRetry.json<TransactionResource>()).toMatchObject({ id: charged.id, status: 'approved' });
    expect(api.sandbox.ledger.chargesForInvoice(charged.id)).toHaveLength(1);
    // Absent: known not charged, and sent again (once) by the retry under its key.
    expect(absentAfter).toMatchObject({ status: 'failed', failureCode: 'not_charged' });
    expect(absentRetry.status).toBe(201);
    expect(absentRetry.json<TransactionResource>()).toMatchObject({ id: absent.id, status: 'approved' });
    expect(api.sandbox.ledger.chargesForInvoice(absent.id)).toEqual([
      expect.objectContaining({ amount: 4200 }),
    ]);
    // The refund: not made, so its hold was given back; the retry holds and sends it again.
    expect(heldBefore).toBe(200);
    expect(refundAfter).toMatchObject({ type: 'refund', status: 'failed', failureCode: 'not_charged' });
    expect(heldAfter).toBe(0);
    expect(refundRetry.status).toBe(201);
    expect(refundRetry.json<TransactionResource>()).toMatchObject({ id: refund.id, status: 'approved' });
    expect(api.sandbox.ledger.refundedAmount(refundable.gateway?.transactionId ?? '')).toBe(200);
    expect(await api.store.transactions.get('shopA', refundable.id)).toMatchObject({ refunded: 200 });
  });

  it('records a JWT sale found by reconciliation approved, with cardSaveFailed since search carries no token', async () => {
    // Prepare
    const customerId = unique('cus');
    const jwtSale = await lostAnswer(
      '/v1/sales/jwt',
      { amount: '43.00', jwt: api.jwt(), customerId },
      'reset-after-processing',
      'mobile-sale',
    );

    // Act
    const run = await api.runReconciliation(new Date(Date.now() + (SETTLE_SECONDS + 1) * 1000));
    const after = await readTransaction(jwtSale.id);
    const cards = await api.get(`/v1/customers/${customerId}/cards`);

    // Assess
    expect(run.json()).toMatchObject({ examined: 1, resolved: 1, notCharged: 0 });
    const [charge] = api.sandbox.ledger.chargesForInvoice(jwtSale.id);
    expect(charge).toMatchObject({ amount: 4300, tokenCreated: true });
    expect(after).toMatchObject({
      status: 'approved',
      customerId,
      cardId: null,
      cardSaveFailed: true,
      gateway: { transactionId: charge?.id },
    });
    expect(cards.json<{ data: unknown[] }>().data).toEqual([]);
  });
});
