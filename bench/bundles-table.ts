/** The bundle benchmark's figures as text, for people. */
import type { BundleBenchResult, FunctionFigures } from './bundles';
import { formatTable } from './report';

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number) => value.toFixed(1);
const times = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));

/** The table of every function beside its floor, then what the furthest bundle has beyond its floor. */
export function formatBundleBench(result: BundleBenchResult): string {
  const { targets } = result;
  const header = [
    'function',
    'bundle KB',
    'floor KB',
    'size ×',
    `≤ ${targets.maxSizeRatio}`,
    'lazy KB',
    'import ms',
    'floor',
    'import ×',
    `≤ ${targets.maxImportRatio}`,
    'answer ms',
    'floor',
    'answer ×',
  ];
  const rows = result.functions.map((figures) => [
    figures.name,
    kb(figures.bytes),
    figures.floor ? kb(figures.floor.bytes) : '-',
    times(figures.sizeRatio?.value),
    figures.sizeRatio?.target ?? '',
    figures.lazyFiles.length === 0
      ? '-'
      : kb(figures.lazyFiles.reduce((total, file) => total + file.bytes, 0)),
    ms(figures.importMs.median),
    figures.floor ? ms(figures.floor.importMs.median) : '-',
    times(figures.importRatio?.value),
    figures.importRatio?.target ?? '',
    ms(figures.firstAnswerMs.median),
    figures.floor ? ms(figures.floor.firstAnswerMs.median) : '-',
    times(figures.firstAnswerRatio),
  ]);
  const withFloor = result.functions.filter((figures) => figures.floor);
  const passing = (ratio: 'sizeRatio' | 'importRatio') =>
    `${withFloor.filter((figures) => figures[ratio]?.target === 'PASS').length} of ${withFloor.length} PASS`;
  const boot = result.functions.flatMap((figures) => figures.bootMs.runs).sort((a, b) => a - b);
  const lazy = [
    ...new Set(result.functions.flatMap((figures) => figures.lazyFiles.map((file) => file.file))),
  ];
  const lines = [
    `Bundles and cold starts: node ${result.node}, ${result.runs} cold starts of each function and of its floor, ` +
      'alternated; ms are medians',
    '',
    formatTable(header, rows, new Set([1, 2, 3, 5, 6, 7, 8, 10, 11, 12])),
    '',
    `Targets: size ≤ ${targets.maxSizeRatio} × floor ${passing('sizeRatio')}; ` +
      `import ≤ ${targets.maxImportRatio} × floor ${passing('importRatio')} ` +
      '(× = median of the paired runs\u2019 ratios). Milliseconds are for information.',
    `Floor: the function's SDK clients only (${floorClientsLine(result)}), same esbuild options, ` +
      'their first calls (GetItem, GetSecretValue, SendMessageBatch).',
    lazy.length === 0
      ? 'Lazy files: none.'
      : `Lazy files (beside index.js, not read by the import, not in "bundle KB"): ${lazy.join(', ')}.`,
    `Node's own start before the import (not counted above): ${ms(boot[Math.floor(boot.length / 2)] ?? 0)} ms median.`,
  ];
  const furthest = [...withFloor].sort((a, b) => (b.sizeRatio?.value ?? 0) - (a.sizeRatio?.value ?? 0))[0];
  if (furthest) lines.push('', ...beyondFloor(furthest));
  return lines.join('\n');
}

function floorClientsLine(result: BundleBenchResult): string {
  const sets = new Map<string, string[]>();
  for (const figures of result.functions) {
    if (!figures.floor) continue;
    const clients = figures.floor.clients.map((name) => name.replace('@aws-sdk/', '')).join(' + ');
    sets.set(clients, [...(sets.get(clients) ?? []), figures.name]);
  }
  return [...sets.keys()].join('; ');
}

function beyondFloor(figures: FunctionFigures): string[] {
  const floorBytes = figures.floor?.bytes ?? 0;
  const extra = figures.bytes - floorBytes;
  const rows = (figures.overFloor ?? []).map(({ source, bytes }) => [
    `  ${source}`,
    kb(bytes),
    `${((bytes / Math.max(1, extra)) * 100).toFixed(0)}%`,
  ]);
  return [
    `What the furthest bundle from its floor, ${figures.name} (${kb(figures.bytes)} KB, floor ${kb(floorBytes)} KB, ` +
      `${kb(extra)} KB more), has beyond it, by package:`,
    formatTable(['  package', 'KB', 'share'], rows, new Set([1, 2])),
  ];
}
