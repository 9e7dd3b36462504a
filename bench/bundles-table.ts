/** The bundle benchmark's figures as text, for people. */
import type { BundleBenchResult, FunctionFigures } from './bundles';
import { formatTable } from './report';

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number) => value.toFixed(1);

/** The table of every function, then where the biggest bundle's bytes come from. */
export function formatBundleBench(result: BundleBenchResult): string {
  const { targets } = result;
  const header = [
    'function',
    'bundle KB',
    'gzip KB',
    'import med ms',
    'import p90 ms',
    'answer med ms',
    'answer p90 ms',
    `size ≤ ${kb(targets.maxBundleBytes)} KB`,
    `import ≤ ${targets.maxImportMedianMs} ms`,
  ];
  const rows = result.functions.map((figures) => [
    figures.name,
    kb(figures.bytes),
    kb(figures.gzipBytes),
    ms(figures.importMs.median),
    ms(figures.importMs.p90),
    ms(figures.firstAnswerMs.median),
    ms(figures.firstAnswerMs.p90),
    figures.sizeTarget,
    figures.importTarget,
  ]);
  const passing = (target: 'sizeTarget' | 'importTarget') =>
    `${result.functions.filter((figures) => figures[target] === 'PASS').length} of ${result.functions.length} PASS`;
  const boot = result.functions.flatMap((figures) => figures.bootMs.runs).sort((a, b) => a - b);
  const lines = [
    `Bundles and cold starts: node ${result.node}, ${result.runs} cold starts per function`,
    '',
    formatTable(header, rows, new Set([1, 2, 3, 4, 5, 6])),
    '',
    `Targets: bundle ≤ ${kb(targets.maxBundleBytes)} KB ${passing('sizeTarget')}; ` +
      `import median ≤ ${targets.maxImportMedianMs} ms ${passing('importTarget')}.`,
    `Node's own start before the import (not counted above): ${ms(boot[Math.floor(boot.length / 2)] ?? 0)} ms median.`,
  ];
  const biggest = [...result.functions].sort((a, b) => b.bytes - a.bytes)[0];
  if (biggest) lines.push('', ...composition(biggest));
  return lines.join('\n');
}

function composition(figures: FunctionFigures): string[] {
  const rows = (inputs: FunctionFigures['packages']) =>
    inputs.map(({ source, bytes }) => [
      `  ${source}`,
      kb(bytes),
      `${((bytes / figures.bytes) * 100).toFixed(0)}%`,
    ]);
  return [
    `Largest inputs of the biggest bundle, ${figures.name} (${kb(figures.bytes)} KB), by package:`,
    formatTable(['  package', 'KB', 'share'], rows(figures.packages), new Set([1, 2])),
    '',
    'and by folder:',
    formatTable(['  folder', 'KB', 'share'], rows(figures.folders), new Set([1, 2])),
  ];
}
