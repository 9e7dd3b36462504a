/**
 * Benchmark: the Clearent simulator holding 100,000 transactions. Before its ledger was indexed,
 * `GET /_sandbox/ledger` took 56 s there and blocked every other request (a scan of all transactions
 * per sale); every figure here should stay flat as the ledger grows, and none should block for long.
 *
 * The ledger is filled through the simulator's own store into a journal (90,000 approved sales with
 * their own invoices, 10,000 partial refunds), then a simulator is started on it (replaying the
 * journal) and each request is timed over HTTP: the whole ledger, one page of it, a search by invoice,
 * a lookup by id, an unfiltered search (the one linear query), a refund and a sale with duplicate
 * detection on. Figures are medians of `runs` requests, each as wall time and as the CPU time of this
 * process (client and simulator both run here): other work on the machine inflates the first, hardly
 * the second.
 *
 * `npx tsx bench/sandbox-ledger.ts [transactions ...]` runs it alone (default 100,000), once per size given.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../infra/sandbox';
import { openStore } from '../infra/sandbox/store';
import { cents } from '../shared/money';
import { formatTable, type Summary, summarize } from './report';

/** Wall and CPU milliseconds of one step. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

export interface SandboxLedgerBenchResult {
  name: 'sandbox-ledger';
  transactions: number;
  /** Recording every transaction through the store, journal writes included. */
  fill: Timing;
  /** Starting a simulator on the journal: reading and replaying it. */
  start: Timing;
  /** Size of the whole ledger as JSON. */
  ledgerBytes: number;
  requests: Record<string, { wallMs: Summary; cpuMs: Summary }>;
}

const CARD = { lastFour: '1111', cardType: 'VISA', expDate: '1228' };
const CARD_SALE = { type: 'SALE', card: '4111111111111111', 'exp-date': '1228' };

/** Records `transactions` transactions in a journal under `dataDir`: nine sales, then a refund of the last. */
function fillJournal(dataDir: string, transactions: number): void {
  const store = openStore({ dataDir, jwtTtlMs: 60_000, now: () => new Date() });
  let lastSaleId = '';
  for (let index = 0; index < transactions; index++) {
    const created = new Date(Date.UTC(2026, 0, 1) + index * 1_000);
    const common = {
      card: CARD,
      tokenCreated: false,
      created,
      result: 'APPROVED' as const,
      resultCode: '000',
    };
    if (index % 10 === 9) {
      const refund = { type: 'REFUND' as const, amount: cents(100), originalId: lastSaleId };
      store.ledger.record({ ...common, ...refund, displayMessage: 'Approved', endpoint: 'POST refund' });
    } else {
      const amount = cents(100 + (index % 10_000));
      const sale = { type: 'SALE' as const, amount, invoice: `txn_${index}`, orderId: `order_${index}` };
      lastSaleId = store.ledger.record({
        ...common,
        ...sale,
        displayMessage: 'Approved',
        endpoint: 'POST sale',
      }).id;
    }
  }
  store.close();
}

async function measure<Value>(step: () => Promise<Value> | Value): Promise<Timing & { value: Value }> {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const value = await step();
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = Math.round(performance.now() - wallStart);
  return { value, wallMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

async function timed(runs: number, request: (run: number) => Promise<Response>) {
  const timings: Timing[] = [];
  for (let run = 0; run < runs; run++) {
    const { value: status, ...timing } = await measure(async () => {
      const response = await request(run);
      await response.arrayBuffer();
      return response.status;
    });
    if (status >= 300) throw new Error(`HTTP ${status} for a benchmarked request`);
    timings.push(timing);
  }
  return {
    wallMs: summarize(timings.map((timing) => timing.wallMs)),
    cpuMs: summarize(timings.map((timing) => timing.cpuMs)),
  };
}

export async function benchSandboxLedger(
  transactions = 100_000,
  runs = 5,
): Promise<SandboxLedgerBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-ledger-bench-'));
  try {
    const fill = await measure(() => fillJournal(dataDir, transactions));
    const { value: sandbox, ...start } = await measure(() => startSandbox({ dataDir }));
    const gateway = (path: string, body?: object) =>
      fetch(`${sandbox.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'api-key': sandbox.apiKey,
        },
        body: body && JSON.stringify(body),
      });
    // Read once, outside the timings: each read of the in-process view copies every approved sale.
    const charges = sandbox.ledger.charges;
    const middle = charges[Math.floor(charges.length / 2)];
    const ledger = await (await fetch(`${sandbox.url}/_sandbox/ledger`)).arrayBuffer();
    sandbox.configure({
      duplicateDetection: { windowMs: 3_600_000, match: 'last-four-amount', respondWith: 'error' },
    });
    const requests = {
      'GET /_sandbox/ledger (all)': await timed(runs, () => fetch(`${sandbox.url}/_sandbox/ledger`)),
      'GET /_sandbox/ledger?offset=&limit=100': await timed(runs, () =>
        fetch(`${sandbox.url}/_sandbox/ledger?offset=${transactions - 100}&limit=100`),
      ),
      'search by invoice': await timed(runs, () =>
        gateway(`/rest/v2/transactions?invoice=${middle?.invoice}`),
      ),
      'lookup by id': await timed(runs, () => gateway(`/rest/v2/transactions?id=${middle?.id}`)),
      'search, no filter (page 1)': await timed(runs, () => gateway('/rest/v2/transactions')),
      refund: await timed(runs, (run) =>
        gateway('/rest/v2/transactions/refund', { id: charges[run]?.id, amount: '0.60' }),
      ),
      'sale, duplicate detection on': await timed(runs, (run) =>
        gateway('/rest/v2/transactions/sale', { ...CARD_SALE, amount: `1.${10 + run}`, invoice: `b_${run}` }),
      ),
    };
    await sandbox.close();
    return {
      name: 'sandbox-ledger',
      transactions,
      fill: { wallMs: fill.wallMs, cpuMs: fill.cpuMs },
      start,
      ledgerBytes: ledger.byteLength,
      requests,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The result as a table, for people. */
export function formatSandboxLedgerBench(result: SandboxLedgerBenchResult): string {
  const rows = [
    ['transactions', String(result.transactions), ''],
    ['fill through the store and journal', `${result.fill.wallMs} ms`, `${result.fill.cpuMs} ms`],
    ['start (replay the journal)', `${result.start.wallMs} ms`, `${result.start.cpuMs} ms`],
    ['whole ledger JSON', `${(result.ledgerBytes / 1_048_576).toFixed(1)} MiB`, ''],
    ...Object.entries(result.requests).map(([request, { wallMs, cpuMs }]) => [
      request,
      `${wallMs.median} ms (p90 ${wallMs.p90})`,
      `${cpuMs.median} ms (p90 ${cpuMs.p90})`,
    ]),
  ];
  return formatTable(['figure', 'wall (median)', 'cpu (median)'], rows, new Set());
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number);
  (async () => {
    for (const transactions of sizes.length > 0 ? sizes : [100_000]) {
      const result = await benchSandboxLedger(transactions);
      console.log(`${formatSandboxLedgerBench(result)}\n${JSON.stringify(result)}\n`);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
