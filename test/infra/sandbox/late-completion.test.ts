import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { callGateway, cardSale, envelopeOf, JSON_HEADERS, saleCreatingToken, until } from './gateway-calls';

const MOBILE_SALE = 'POST /rest/v2/mobile/transactions/sale';
const DELAY_MS = 30_000;

describe('Fault: late-completion, judged by the simulator clock', () => {
  const arrival = new Date('2026-08-01T12:00:00.000Z');
  let clock: Date;
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: () => clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    clock = arrival;
    sandbox.reset();
  });

  const afterArrival = (ms: number) => new Date(arrival.getTime() + ms);
  const requestsTo = (endpoint: string) => sandbox.ledger.requestCounts[endpoint] ?? 0;

  const sendSale = (jwt: string, signal?: AbortSignal) =>
    fetch(`${sandbox.url}/rest/v2/mobile/transactions/sale`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'api-key': sandbox.apiKey, mobilejwt: jwt },
      body: JSON.stringify({
        type: 'SALE',
        amount: '20.00',
        invoice: 'txn_late',
        'software-type': 't',
        'software-type-version': '1',
      }),
      signal,
    });

  /** A sale the client gives up on once the simulator has received it. */
  const abandonedSale = async (jwt: string) => {
    const client = new AbortController();
    const sale = sendSale(jwt, client.signal);
    const received = requestsTo(MOBILE_SALE) + 1;
    await until(() => requestsTo(MOBILE_SALE) === received);
    client.abort();
    await expect(sale).rejects.toThrow('aborted');
  };

  it('records nothing on arrival, and the sale once the clock reaches arrival + delayMs', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'late-completion', delayMs: DELAY_MS });
    await abandonedSale(sandbox.issueJwt());

    // Act
    const atArrival = sandbox.flushDue();
    clock = afterArrival(DELAY_MS - 1);
    const justBefore = sandbox.flushDue();
    const ledgerJustBefore = sandbox.ledger.transactions;
    clock = afterArrival(DELAY_MS);
    const due = sandbox.flushDue();
    const again = sandbox.flushDue();

    // Assess
    expect([atArrival, justBefore, due, again]).toEqual([0, 0, 1, 0]);
    expect(ledgerJustBefore).toEqual([]);
    expect(sandbox.ledger.charges).toEqual([
      expect.objectContaining({ amount: 2000, invoice: 'txn_late', created: afterArrival(DELAY_MS) }),
    ]);
  });

  it('answers the client then, if its connection is still open', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'late-completion', delayMs: DELAY_MS });
    const sale = sendSale(sandbox.issueJwt());
    await until(() => requestsTo(MOBILE_SALE) === 1);

    // Act
    clock = afterArrival(DELAY_MS);
    sandbox.flushDue();
    const response = await sale;

    // Assess
    expect(response.status).toBe(200);
    const body = await envelopeOf(response);
    expect(body.payload.transaction).toMatchObject({ result: 'APPROVED', id: sandbox.ledger.charges[0]?.id });
  });

  it('applies a due completion before handling the next request', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'late-completion', delayMs: DELAY_MS });
    await abandonedSale(sandbox.issueJwt());
    clock = afterArrival(DELAY_MS);

    // Act
    const search = await callGateway(sandbox, 'GET', '/rest/v2/transactions?invoice=txn_late');

    // Assess
    expect(search.status).toBe(200);
    expect(search.body.payload.transactions?.transaction).toHaveLength(1);
  });

  it('is refused when it comes if a retry used the JWT meanwhile: recorded by nobody, charged once', async () => {
    // Prepare
    const jwt = sandbox.issueJwt();
    sandbox.injectFault({ kind: 'late-completion', delayMs: DELAY_MS });
    await abandonedSale(jwt);
    const retried = await sendSale(jwt);

    // Act
    clock = afterArrival(DELAY_MS);
    const completed = sandbox.flushDue();

    // Assess
    expect(retried.status).toBe(200);
    expect(completed).toBe(1);
    expect(sandbox.ledger.transactions).toHaveLength(1);
    expect(sandbox.ledger.chargeCount).toBe(1);
  });

  it('charges a card token a second time when the client resent the sale meanwhile', async () => {
    // Prepare
    const tokenId = await saleCreatingToken(sandbox);
    sandbox.injectFault({ kind: 'late-completion', delayMs: DELAY_MS, match: { operation: 'sale' } });
    const first = cardSale(sandbox, tokenId, '7.00', { invoice: 'txn_token' });
    await until(() => requestsTo('POST /rest/v2/transactions/sale') === 1);
    const resent = await cardSale(sandbox, tokenId, '7.00', { invoice: 'txn_token' });

    // Act
    clock = afterArrival(DELAY_MS);
    sandbox.flushDue();

    // Assess
    expect(resent.status).toBe(200);
    expect((await first).status).toBe(200);
    expect(sandbox.ledger.chargesForInvoice('txn_token')).toHaveLength(2);
    expect(sandbox.ledger.tokens[0]?.timesUsed).toBe(2);
  });

  it('is dropped unprocessed by reset()', async () => {
    // Prepare
    sandbox.injectFault({ kind: 'late-completion', delayMs: DELAY_MS });
    const sale = sendSale(sandbox.issueJwt());
    await until(() => requestsTo(MOBILE_SALE) === 1);

    // Act
    sandbox.reset();
    clock = afterArrival(DELAY_MS);

    // Assess
    await expect(sale).rejects.toThrow('fetch failed');
    expect(sandbox.flushDue()).toBe(0);
    expect(sandbox.ledger.transactions).toEqual([]);
  });
});

describe('Fault: late-completion with the real clock', () => {
  it('is applied by a timer, without flushDue or another request', async () => {
    // Prepare
    const sandbox = await startSandbox();
    sandbox.injectFault({ kind: 'late-completion', delayMs: 50 });

    // Act
    const answer = await callGateway(sandbox, 'POST', '/rest/v2/transactions/sale', {
      type: 'SALE',
      amount: '3.00',
      card: '4111111111111111',
      'exp-date': '1228',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(sandbox.ledger.chargeCount).toBe(1);
    await sandbox.close();
  });

  it('does not hold close() up, and is never processed', async () => {
    // Prepare
    const sandbox = await startSandbox();
    sandbox.injectFault({ kind: 'late-completion', delayMs: 3_600_000 });
    const sale = cardSale(sandbox, '4111111111111111', '3.00');
    await until(() => sandbox.ledger.requestCounts['POST /rest/v2/transactions/sale'] === 1);

    // Act
    await sandbox.close();

    // Assess
    await expect(sale).rejects.toThrow('fetch failed');
    expect(sandbox.flushDue()).toBe(0);
    expect(sandbox.ledger.transactions).toEqual([]);
  });
});
