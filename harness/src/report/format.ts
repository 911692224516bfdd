// Small formatters shared by the Markdown report and the terminal summary.
import type { ThresholdResult } from '../gate/index.ts';
import type { LoadRecord } from './types.ts';

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export const megabytes = (bytes: number | undefined): string =>
  bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export function measured(result: ThresholdResult): string {
  if (result.measured === null) return 'not measured';
  const unit = result.unit === 'ms' ? ' ms' : result.unit === 's' ? ' s' : '';
  return `${result.measured}${unit}`;
}

export const mark = (ok: boolean): string => (ok ? 'pass' : 'FAIL');

/** Milliseconds to one decimal; – for nothing measured. */
export const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${Math.round(value * 10) / 10} ms`;

/** A share as a percentage with two decimals; – for nothing measured. */
export const percent = (share: number | null): string =>
  share === null ? '–' : `${(share * 100).toFixed(2)}%`;

/** A load in one line: requests, rate, p95, failures, what the database lost, an early stop. */
export const loadLine = (load: LoadRecord): string =>
  `${load.requests} requests (${load.requestsPerSecond}/s), p95 ${load.latency[0]?.p95 ?? '–'} ms, ` +
  `${((load.failedRate ?? 0) * 100).toFixed(2)}% failed, ` +
  (load.reconciliation ? `${load.reconciliation.lost} lost` : 'not reconciled') +
  (load.abortedEarly ? ', stopped early by a threshold' : '');

/** A plain text table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** A Markdown table; pipes inside cells are escaped. */
export function markdownTable(header: string[], rows: string[][]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}
