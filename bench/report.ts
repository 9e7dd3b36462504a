/** Shared by the benchmarks: summary statistics, plain-text tables, and the JSON files in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run bench` writes its figures (git-ignored). */
export const resultsDir = join(__dirname, 'results');

export interface Summary {
  median: number;
  p90: number;
  /** Every run, in the order measured. */
  runs: number[];
}

/** Nearest-rank percentile `p` (0-100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Median and p90 of `values`, rounded to 0.1. */
export function summarize(values: readonly number[]): Summary {
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    median: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    runs: values.map(round),
  };
}

/** PASS when `value` is at most `limit`. */
export function verdict(value: number, limit: number): 'PASS' | 'MISS' {
  return value <= limit ? 'PASS' : 'MISS';
}

/** Columns padded to their widest cell; columns listed in `rightAligned` (numbers) align right. */
export function formatTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Writes `result` to bench/results/<name>.json and returns the path. */
export function writeResult(name: string, result: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
