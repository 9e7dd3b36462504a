import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { approvedSale, callGateway, cardSale, jwtSale, saleCreatingToken } from './gateway-calls';

describe('Option: dataDir, the simulator state across a restart', () => {
  let dataDir: string;
  let running: Sandbox | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clearent-sandbox-'));
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    running = await startSandbox({ dataDir });
    return running;
  };
  const restart = async () => {
    await running?.close();
    return start();
  };
  const journal = () => readFileSync(join(dataDir, 'journal.jsonl'), 'utf8');

  it('charges a saved card token and refunds an old sale after a restart', async () => {
    // Prepare
    const before = await start();
    const tokenId = await saleCreatingToken(before, '50.00');
    const saleId = String(before.ledger.charges[0]?.id);
    await callGateway(before, 'POST', '/rest/v2/transactions/refund', { id: saleId, amount: '20.00' });

    // Act
    const after = await restart();
    const tokenSale = await cardSale(after, tokenId, '5.00', { invoice: 'txn_after' });
    const refund = await callGateway(after, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '30.00',
    });
    const tooMuch = await callGateway(after, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '0.50',
    });

    // Assess
    expect(tokenSale.status).toBe(200);
    expect(Number(tokenSale.body.payload.transaction?.id)).toBeGreaterThan(Number(saleId) + 1);
    expect(refund.status).toBe(200);
    expect(tooMuch.body.payload.transaction?.['result-code']).toBe('025');
    expect(after.ledger.refundedAmount(saleId)).toBe(5000);
    expect(after.ledger.chargeCount).toBe(2);
    expect(after.ledger.tokens).toEqual([expect.objectContaining({ tokenId, timesUsed: 1, deleted: false })]);
    expect(after.ledger.transactions[0]).toMatchObject({
      id: saleId,
      tokenCreated: true,
      created: expect.any(Date),
    });
  });

  it('redeems a JWT issued before the restart once after it', async () => {
    // Prepare
    const before = await start();
    const jwt = before.issueJwt('5454545454545454');
    const used = before.issueJwt();
    await jwtSale(before, used, { amount: '2.00' });

    // Act
    const after = await restart();
    const first = await jwtSale(after, jwt, { amount: '3.00' });
    const second = await jwtSale(after, jwt, { amount: '3.00' });
    const usedBefore = await jwtSale(after, used, { amount: '2.00' });

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.payload.transaction?.['last-four']).toBe('5454');
    expect(second.body.payload.error?.['error-message']).toBe('Mobile JWT has already been used');
    expect(usedBefore.status).toBe(400);
    expect(after.ledger.chargeCount).toBe(2);
  });

  it('has the sale in the journal by the time it is answered', async () => {
    // Prepare
    const sandbox = await start();

    // Act
    const saleId = await approvedSale(sandbox, '4.00', { invoice: 'txn_durable' });
    const written = journal();

    // Assess
    expect(written).toContain(`"id":"${saleId}"`);
    expect(written).toContain('txn_durable');
    expect(written).not.toContain('4111111111111111');
  });

  it('keeps a voided sale voided and a deleted token deleted', async () => {
    // Prepare
    const before = await start();
    const tokenId = await saleCreatingToken(before);
    const saleId = await approvedSale(before, '8.00');
    await callGateway(before, 'POST', '/rest/v2/transactions/void', { id: saleId });
    await callGateway(before, 'DELETE', `/rest/v2/tokens/${tokenId}`);

    // Act
    const after = await restart();
    const refund = await callGateway(after, 'POST', '/rest/v2/transactions/refund', {
      id: saleId,
      amount: '1.00',
    });
    const tokenSale = await cardSale(after, tokenId, '1.00');

    // Assess
    expect(refund.body.payload.transaction?.['result-code']).toBe('024');
    expect(tokenSale.body.payload.transaction?.['result-code']).toBe('009');
    expect(after.ledger.voids.map((entry) => entry.originalId)).toEqual([saleId]);
  });

  it('stays reset after a restart, ids still counting', async () => {
    // Prepare
    const before = await start();
    const oldId = await approvedSale(before, '1.00');
    before.reset();

    // Act
    const after = await restart();
    const newId = await approvedSale(after, '1.00');

    // Assess
    expect(after.ledger.transactions.map((t) => t.id)).toEqual([newId]);
    expect(Number(newId)).toBeGreaterThan(Number(oldId));
  });

  it('drops a last journal line cut short by a kill mid-write', async () => {
    // Prepare
    const before = await start();
    const saleId = await approvedSale(before, '6.00');
    await before.close();
    running = undefined;
    appendFileSync(join(dataDir, 'journal.jsonl'), '{"kind":"transaction","transac');

    // Act
    const after = await start();
    const nextId = await approvedSale(after, '7.00');

    // Assess
    expect(after.ledger.transactions.map((t) => t.id)).toEqual([saleId, nextId]);
    expect(
      journal()
        .split('\n')
        .every((line) => line === '' || JSON.parse(line)),
    ).toBe(true);
  });

  it('keeps nothing on disk without dataDir', async () => {
    // Prepare
    const memory = await startSandbox();
    await approvedSale(memory, '1.00');
    await memory.close();

    // Act
    const fresh = await startSandbox();

    // Assess
    expect(fresh.ledger.transactions).toEqual([]);
    await fresh.close();
  });
});
