// Small formatters shared by the Markdown report and the terminal summary.
import type { ThresholdResult } from '../gate/index.ts';

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export const megabytes = (bytes: number | undefined): string =>
  bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export function measured(result: ThresholdResult): string {
  if (result.measured === null) return 'not measured';
  const unit = result.unit === 'ms' ? ' ms' : result.unit === 's' ? ' s' : '';
  return `${result.measured}${unit}`;
}

export const mark = (ok: boolean): string => (ok ? 'pass' : 'FAIL');

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
