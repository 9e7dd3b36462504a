import { runReconciliationRoute } from '../../../infra/local/reconciliation';
import { cents } from '../../../shared/money';
import type { Transaction } from '../../../shared/payments/transaction';
import { CredentialsUnavailableError } from '../../../shared/secrets/clearent-credentials';
import { notReached } from '../../support/fake-gateway';
import { memoryPorts, type TestPorts } from '../../support/memory-ports';

const SETTLE_MS = 120_000;

/** A token sale sent `sentAgoMs` before the real clock's now, whose answer never came. */
function pendingSale(id: string, sentAgoMs: number): Transaction {
  const sentAt = new Date(Date.now() - sentAgoMs).toISOString();
  return {
    id,
    storefrontId: 'sf_a',
    type: 'sale',
    status: 'pending',
    amount: cents(1500),
    refunded: cents(0),
    cardSource: 'saved_card',
    createdAt: sentAt,
    sendCount: 1,
    lastSentAt: sentAt,
  };
}

function portsWith(...transactions: Transaction[]): TestPorts {
  const ports = memoryPorts();
  for (const transaction of transactions) ports.transactions.seed(transaction);
  return ports;
}

describe('Function: runReconciliationRoute', () => {
  it('resolves, at the real clock, only what was last sent before the settle window', async () => {
    // Prepare: one sale sent long ago and charged, one sent a moment ago and not (yet) at the gateway.
    const ports = portsWith(pendingSale('txn_old', SETTLE_MS + 5_000), pendingSale('txn_recent', 1_000));
    ports.fakeGateway.record({ invoice: 'txn_old', amount: cents(1500) });
    const route = runReconciliationRoute(async () => ports);

    // Act
    const result = await route(undefined);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatchObject({
      examined: 1,
      resolved: 1,
      notCharged: 0,
      unresolved: 0,
      complete: true,
    });
    expect(await ports.transactions.get('sf_a', 'txn_old')).toMatchObject({ status: 'approved' });
    expect(await ports.transactions.get('sf_a', 'txn_recent')).toMatchObject({ status: 'pending' });
    expect(ports.fakeGateway.requests('searchTransactions')).toEqual([{ invoice: 'txn_old' }]);
  });

  it('runs at `now`: a sale not found past the window (by that time) is recorded not_charged, never sent', async () => {
    // Prepare
    const ports = portsWith(pendingSale('txn_absent', 1_000));
    const route = runReconciliationRoute(async () => ports);
    const now = new Date(Date.now() + SETTLE_MS);

    // Act
    const result = await route({ now: now.toISOString() });

    // Assess
    expect(result.body).toMatchObject({
      sentBefore: new Date(now.getTime() - SETTLE_MS).toISOString(),
      examined: 1,
      resolved: 0,
      notCharged: 1,
    });
    expect(await ports.transactions.get('sf_a', 'txn_absent')).toMatchObject({
      status: 'failed',
      failureCode: 'not_charged',
    });
    expect(ports.fakeGateway.count('tokenSale')).toBe(0);
  });

  it('leaves a sale pending when the gateway cannot be searched, and counts it unresolved', async () => {
    // Prepare
    const ports = portsWith(pendingSale('txn_unknown', SETTLE_MS + 5_000));
    ports.fakeGateway.scriptSearch(notReached(), notReached());
    const route = runReconciliationRoute(async () => ports);

    // Act
    const result = await route({});

    // Assess
    expect(result.body).toMatchObject({ examined: 1, resolved: 0, notCharged: 0, unresolved: 1 });
    expect(await ports.transactions.get('sf_a', 'txn_unknown')).toMatchObject({ status: 'pending' });
  });

  // Found by this test: one pending transaction whose resolving throws (here its storefront's Clearent
  // secret cannot be read) must not reject the whole run; being the oldest of its shard it would do so on
  // every run, and nothing after it would ever be resolved.
  it('resolves the rest of a shard when one pending transaction cannot be resolved', async () => {
    // Prepare: the oldest pending sale belongs to a storefront whose credentials cannot be read.
    const ports = portsWith(
      { ...pendingSale('txn_unreadable', SETTLE_MS + 10_000), storefrontId: 'sf_gone' },
      pendingSale('txn_charged', SETTLE_MS + 5_000),
    );
    ports.fakeGateway.record({ invoice: 'txn_charged', amount: cents(1500) });
    const gateway = ports.gateway;
    ports.gateway = async (storefrontId, options) => {
      if (storefrontId === 'sf_gone') throw new CredentialsUnavailableError('could not read secret sf_gone');
      return gateway(storefrontId, options);
    };
    const route = runReconciliationRoute(async () => ports);

    // Act
    const result = await route(undefined);

    // Assess
    expect(result.body).toMatchObject({ examined: 2, resolved: 1, unresolved: 1 });
    expect(await ports.transactions.get('sf_a', 'txn_charged')).toMatchObject({ status: 'approved' });
    expect(await ports.transactions.get('sf_gone', 'txn_unreadable')).toMatchObject({ status: 'pending' });
  });

  it.each([
    ['a time that is not ISO 8601', { now: 'tomorrow' }],
    ['a number', { now: 1764000000000 }],
    ['an unknown field', { now: '2026-12-24T00:00:00Z', dryRun: true }],
    ['not an object', ['2026-12-24T00:00:00Z']],
  ])('answers 400 for %s, examining nothing', async (_case, body) => {
    // Prepare
    const ports = portsWith(pendingSale('txn_untouched', SETTLE_MS + 5_000));
    const route = runReconciliationRoute(async () => ports);

    // Act
    const result = await route(body);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'validation_error', param: 'now' },
    });
    expect(ports.fakeGateway.calls).toEqual([]);
    expect(await ports.transactions.get('sf_a', 'txn_untouched')).toMatchObject({ status: 'pending' });
  });
});
