/**
 * The promise of docs/money-movement.md, case by case: no invoice is ever charged twice at the gateway,
 * every charge the gateway made is recorded here, and refunds never exceed the sale.
 */
import { GatewayUnavailableError } from '../../../shared/clearent/errors';
import { parseAmount } from '../../../shared/money';
import { reconcile } from '../../../shared/payments/reconciliation';
import {
  completedAfterTimeout,
  serverErrorAfterCharging,
  timeoutAfterCharging,
  timeoutBeforeCharging,
} from '../../support/fake-gateway';
import { memoryPorts } from '../../support/memory-ports';
import {
  addCard,
  approvedSale,
  bodyOf,
  CARD_TOKEN,
  keyRecord,
  operations,
  refundOf,
  SETTLE_WINDOW_MS,
  STOREFRONT,
  sellWithCard,
  sellWithJwt,
  stored,
} from './payments-setup';

describe('Money movement: a sale the gateway finished after our client gave up', () => {
  it('is searched, not resent, inside the settle window (504, Retry-After), and recorded once the gateway shows it: one charge', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(completedAfterTimeout());
    const first = await sellWithCard(ports);

    // Act
    ports.advance(10_000);
    const early = await sellWithCard(ports);
    const whileUnknown = await stored(ports, 'txn_000001');
    ports.fakeGateway.showLate();
    ports.advance(10_000);
    const retry = await sellWithCard(ports);

    // Assess
    expect(first.statusCode).toBe(504);
    expect(first.headers).toEqual({ 'retry-after': '120' });
    expect(early.statusCode).toBe(504);
    expect(early.headers).toEqual({ 'retry-after': '110' });
    expect(bodyOf(early)).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { id: 'txn_000001', status: 'pending' },
    });
    expect(whileUnknown).toMatchObject({
      status: 'pending',
      sendCount: 1,
      lastSentAt: '2026-11-24T10:00:00.000Z',
    });
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({
      id: 'txn_000001',
      status: 'approved',
      gateway: { transactionId: ports.fakeGateway.ledger[0]?.transactionId },
    });
    expect(ports.fakeGateway.calls).toEqual([
      { operation: 'tokenSale', request: expect.objectContaining({ invoice: 'txn_000001', amount: 1000 }) },
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
    ]);
    expect(ports.fakeGateway.ledger.filter((charge) => charge.invoice === 'txn_000001')).toHaveLength(1);
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'approved',
      sendCount: 1,
      response: { statusCode: 201 },
    });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ state: 'released', expires: true });
  });
});

describe('Money movement: what a search that finds nothing means', () => {
  it("takes the gateway's empty list as a clean absence: past the settle window the same invoice is sent again", async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    ports.fakeGateway.scriptSearch([]);

    // Act
    ports.advance(SETTLE_WINDOW_MS);
    const retry = await sellWithCard(ports);

    // Assess
    expect(retry.statusCode).toBe(201);
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions', 'tokenSale']);
    expect(ports.fakeGateway.requests('tokenSale').map((request) => request.invoice)).toEqual([
      'txn_000001',
      'txn_000001',
    ]);
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'approved',
      sendCount: 2,
      lastSentAt: '2026-11-24T10:02:00.000Z',
    });
  });

  it('takes a failed search as unknown, not as an absence: pending past the window, nothing sent again', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    ports.fakeGateway.scriptSearch(new GatewayUnavailableError('Clearent answered HTTP 503'));

    ports.advance(SETTLE_WINDOW_MS * 10);
    const retry = await sellWithCard(ports);

    expect(retry.statusCode).toBe(504);
    expect(retry.headers).toEqual({ 'retry-after': '1' });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'pending', sendCount: 1 });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ expires: false });
  });

  it('leaves the sale pending when a search result has no type: it could be our sale', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    ports.fakeGateway.scriptSearch([
      {
        outcome: 'approved',
        transactionId: '9001',
        amount: parseAmount('10.00'),
        invoice: 'txn_000001',
        resultCode: '000',
        message: 'Transaction approved',
        card: {},
      },
    ]);

    // Act
    ports.advance(SETTLE_WINDOW_MS + 1);
    const retry = await sellWithCard(ports);

    // Assess
    expect(retry.statusCode).toBe(504);
    expect(bodyOf(retry).transaction).toMatchObject({ status: 'pending', gateway: null });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'pending', sendCount: 1 });
  });

  it('records the approved result, not the newest one, when the search shows a declined newer record and an approved older one', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    const common = { type: 'SALE', invoice: 'txn_000001', amount: parseAmount('10.00'), card: {} };
    ports.fakeGateway.scriptSearch([
      {
        ...common,
        outcome: 'declined',
        transactionId: '2002',
        resultCode: '023',
        message: 'Declined',
        created: '2026-11-24 10:00:05.000',
      },
      {
        ...common,
        outcome: 'approved',
        transactionId: '2001',
        resultCode: '000',
        message: 'Transaction approved',
        created: '2026-11-24 10:00:01.000',
      },
    ]);

    // Act
    const retry = await sellWithCard(ports);

    // Assess
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({
      status: 'approved',
      gateway: { transactionId: '2001', resultCode: '000' },
    });
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'approved',
      gateway: { transactionId: '2001' },
    });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
  });
});

describe('Money movement: resolving before any precondition', () => {
  it('records the approval of a pending token sale whose card was deleted before the retry, and lets it be refunded', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutAfterCharging());
    const first = await sellWithCard(ports);
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-24T10:00:30.000Z');

    // Act
    ports.advance(60_000);
    const retry = await sellWithCard(ports);
    const refunded = await refundOf(ports, 'txn_000001', undefined, 'refund-1');

    // Assess
    expect(first.statusCode).toBe(504);
    expect(retry.statusCode).toBe(201);
    const charged = ports.fakeGateway.ledger[0];
    expect(bodyOf(retry)).toMatchObject({
      id: 'txn_000001',
      status: 'approved',
      cardId: 'card_1',
      gateway: { transactionId: charged?.transactionId },
    });
    expect(refunded.statusCode).toBe(201);
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'tokenSale',
        request: expect.objectContaining({ tokenId: CARD_TOKEN, invoice: 'txn_000001' }),
      },
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
      {
        operation: 'refund',
        request: { saleTransactionId: charged?.transactionId, amount: 1000, invoice: 'txn_000003' },
      },
    ]);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved', refunded: 1000 });
  });

  it('refuses a pending token sale whose card was deleted only once the gateway is known not to have it: 404, not charged', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(timeoutBeforeCharging());
    await sellWithCard(ports);
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-24T10:00:30.000Z');

    // Act
    const early = await sellWithCard(ports);
    ports.advance(SETTLE_WINDOW_MS);
    const late = await sellWithCard(ports);

    // Assess
    expect(early.statusCode).toBe(504);
    expect(late.statusCode).toBe(404);
    expect(bodyOf(late).error).toMatchObject({ code: 'resource_missing', param: 'cardId' });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions', 'searchTransactions']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'failed',
      failureCode: 'not_charged',
      sendCount: 1,
    });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ expires: true, response: { statusCode: 404 } });
  });
});

describe('Money movement: a refusal racing a resolution', () => {
  // Found by this test: when `prepare` refuses (the card was deleted), the earlier send is first marked
  // not charged; if another process (reconciliation) settled it approved meanwhile, that approval is the
  // answer, not the refusal (else a charged sale answers 404 for ever, and the recurring worker would
  // leave a paid subscription `unpaid`).
  it('answers the approval another process recorded meanwhile, not the refusal', async () => {
    // Prepare: the sale completed late; the retry's search comes back empty and stalls; meanwhile the
    // gateway shows the sale and reconciliation records it.
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script(completedAfterTimeout());
    await sellWithCard(ports);
    await ports.cards.markRemoved(STOREFRONT, 'cus_42', 'card_1', '2026-11-24T10:00:30.000Z');
    ports.advance(SETTLE_WINDOW_MS + 1);
    const search = ports.fakeGateway.searchTransactions.bind(ports.fakeGateway);
    let resumeRetry: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => {
      resumeRetry = resolve;
    });
    ports.fakeGateway.searchTransactions = jest
      .fn()
      .mockImplementationOnce(async (request) => {
        const found = await search(request);
        await stalled;
        return found;
      })
      .mockImplementation(search);
    const retry = sellWithCard(ports);
    await new Promise((resolve) => setImmediate(resolve));
    ports.fakeGateway.showLate();
    await reconcile(ports, ports.clock.now());

    // Act
    resumeRetry();
    const response = await retry;

    // Assess
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved' });
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({ id: 'txn_000001', status: 'approved' });
    expect(ports.fakeGateway.count('tokenSale')).toBe(1);
  });
});

describe('Money movement: refunds', () => {
  it('keeps the hold of a refund answered 5xx but made: a refund of the remainder is refused 422, the retry records it, never more than the sale', async () => {
    // Prepare: a full refund that Clearent made, then answered 500.
    const ports = memoryPorts();
    approvedSale(ports);
    ports.fakeGateway.script(serverErrorAfterCharging(500));
    const first = await refundOf(ports, 'txn_sale', undefined, 'refund-1');

    // Act
    const remainder = await refundOf(ports, 'txn_sale', undefined, 'refund-2');
    const whole = await refundOf(ports, 'txn_sale', parseAmount('100.00'), 'refund-3');
    const retry = await refundOf(ports, 'txn_sale', undefined, 'refund-1');

    // Assess
    expect(first.statusCode).toBe(504);
    expect(bodyOf(first).transaction).toMatchObject({ type: 'refund', status: 'pending', amount: '100.00' });
    for (const refused of [remainder, whole]) {
      expect(refused.statusCode).toBe(422);
      expect(bodyOf(refused).error).toMatchObject({ code: 'amount_exceeds_refundable', param: 'amount' });
    }
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({ id: 'txn_000001', status: 'approved', amount: '100.00' });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'refund',
        request: { saleTransactionId: '118810621', amount: 10000, invoice: 'txn_000001' },
      },
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
    ]);
    expect(await stored(ports, 'txn_sale')).toMatchObject({ refunded: 10000 });
    const refunds = [...ports.transactions.items.values()].filter((t) => t.type === 'refund');
    expect(refunds.map((t) => [t.id, t.status, t.amount])).toEqual([['txn_000001', 'approved', 10000]]);
  });
});

describe('Money movement: our own failures after the gateway was reached', () => {
  it('answers 504 pending, never 500, when the store fails after the approval, and the retry records it without charging again', async () => {
    // Prepare
    const ports = memoryPorts();
    await addCard(ports);
    ports.transactions.failNext('settle', { error: new Error('ProvisionedThroughputExceededException') });

    // Act
    const first = await sellWithCard(ports);
    const afterFailure = await stored(ports, 'txn_000001');
    const keyAfterFailure = { ...keyRecord(ports, 'sale-1') };
    const retry = await sellWithCard(ports);

    // Assess
    expect(first.statusCode).toBe(504);
    expect(first.headers).toEqual({ 'retry-after': '120' });
    expect(bodyOf(first)).toMatchObject({
      error: { type: 'gateway_error', code: 'outcome_unknown' },
      transaction: { id: 'txn_000001', status: 'pending' },
    });
    expect(afterFailure).toMatchObject({ status: 'pending', sendCount: 1 });
    expect(keyAfterFailure).toMatchObject({ state: 'released', expires: false });
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({ id: 'txn_000001', status: 'approved' });
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'approved',
      response: { statusCode: 201 },
    });
    expect(keyRecord(ports, 'sale-1')).toMatchObject({ state: 'released', expires: true });
  });

  it('answers 504 pending when the settle was written but its answer lost, and the retry replays the approval', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.transactions.failNext('settle', { when: 'after' });

    const first = await sellWithCard(ports);
    const retry = await sellWithCard(ports);

    expect(first.statusCode).toBe(504);
    expect(retry).toMatchObject({ statusCode: 201, replayed: true });
    expect(bodyOf(retry)).toMatchObject({ id: 'txn_000001', status: 'approved' });
    expect(operations(ports)).toEqual(['tokenSale']);
  });

  it('fails with our own error (a 500) only when the store fails before anything is sent, and the key stays usable', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.transactions.failNext('create', { error: new Error('DynamoDB unavailable') });

    await expect(sellWithCard(ports)).rejects.toThrow('DynamoDB unavailable');
    const afterFailure = { calls: operations(ports), stored: await stored(ports, 'txn_000001') };
    const retry = await sellWithCard(ports);

    expect(afterFailure).toEqual({ calls: [], stored: undefined });
    expect(retry.statusCode).toBe(201);
    expect(operations(ports)).toEqual(['tokenSale']);
  });
});

describe('Money movement: checking every answer', () => {
  it("declines, as 'duplicate', a sale answered with an earlier transaction for another invoice, and records nothing as charged", async () => {
    // Prepare: Clearent's duplicate check answers with an approval it made for another invoice.
    const ports = memoryPorts();
    await addCard(ports);
    const [earlier] = ports.fakeGateway.record({
      type: 'SALE',
      invoice: 'txn_earlier',
      amount: parseAmount('10.00'),
      transactionId: '4444',
      message: 'Transaction Previously Approved',
    });
    ports.fakeGateway.script({ ...earlier });

    // Act
    const response = await sellWithCard(ports);
    const replay = await sellWithCard(ports);
    const refund = await refundOf(ports, 'txn_000001', undefined, 'refund-1');

    // Assess
    expect(response.statusCode).toBe(402);
    expect(bodyOf(response)).toMatchObject({
      error: { type: 'card_error', code: 'card_declined', declineCode: 'duplicate' },
      transaction: { id: 'txn_000001', status: 'declined', gateway: { resultCode: 'duplicate' } },
    });
    expect(bodyOf(response).transaction.gateway.transactionId).toBeUndefined();
    expect(replay).toEqual({ ...response, replayed: true });
    expect(refund.statusCode).toBe(422);
    expect(bodyOf(refund).error.code).toBe('sale_not_refundable');
    expect(operations(ports)).toEqual(['tokenSale']);
    expect(ports.fakeGateway.ledger).toEqual([earlier]);
    const sale = await stored(ports, 'txn_000001');
    expect(sale).toMatchObject({ status: 'declined', refunded: 0 });
    expect(sale?.gateway?.transactionId).toBeUndefined();
  });

  it("declines, as 'duplicate', an approval of our invoice for another amount", async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script({ amount: parseAmount('1.00'), invoice: 'txn_000001' });

    const response = await sellWithCard(ports);

    expect(response.statusCode).toBe(402);
    expect(bodyOf(response)).toMatchObject({
      error: { declineCode: 'duplicate' },
      transaction: { status: 'declined', amount: '10.00' },
    });
    expect(await stored(ports, 'txn_000001')).toMatchObject({
      status: 'declined',
      gateway: { resultCode: 'duplicate' },
    });
  });

  it('lets the search decide an approval that carries no invoice', async () => {
    const ports = memoryPorts();
    await addCard(ports);
    ports.fakeGateway.script({ invoice: undefined });

    const first = await sellWithCard(ports);
    const retry = await sellWithCard(ports);

    expect(first.statusCode).toBe(504);
    expect(retry.statusCode).toBe(201);
    expect(operations(ports)).toEqual(['tokenSale', 'searchTransactions']);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved', sendCount: 1 });
  });
});

describe('Money movement: a JWT sale recovered by search', () => {
  it('is approved with cardId null and cardSaveFailed, since the search carries no token: no card saved, nothing sent again', async () => {
    // Prepare
    const ports = memoryPorts();
    ports.fakeGateway.script(timeoutAfterCharging());
    const first = await sellWithJwt(ports);

    // Act
    const retry = await sellWithJwt(ports);

    // Assess
    expect(first.statusCode).toBe(504);
    expect(retry.statusCode).toBe(201);
    expect(bodyOf(retry)).toMatchObject({
      id: 'txn_000001',
      status: 'approved',
      cardId: null,
      cardSaveFailed: true,
      customerId: 'cus_42',
    });
    expect(ports.fakeGateway.calls).toEqual([
      {
        operation: 'jwtSale',
        request: expect.objectContaining({ invoice: 'txn_000001', createToken: true }),
      },
      { operation: 'searchTransactions', request: { invoice: 'txn_000001' } },
    ]);
    expect(ports.cards.items.size).toBe(0);
    expect(await stored(ports, 'txn_000001')).toMatchObject({ status: 'approved', cardSaveFailed: true });
    expect((await stored(ports, 'txn_000001'))?.cardId).toBeUndefined();
  });
});
