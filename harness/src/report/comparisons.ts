// The relative objectives in words: this run against the baseline, side by side.
import { dirname, join, relative as relativePath } from 'node:path';
import { markdownTable } from './format.ts';
import type { Comparison } from '../gate/index.ts';
import type { SimReport } from './types.ts';

const value = (figure: number | null, unit: string) =>
  figure === null ? '–' : `${figure}${unit === 'ms' ? ' ms' : unit === 's' ? ' s' : ''}`;

const change = (comparison: Comparison) =>
  comparison.changePercent === null
    ? '–'
    : `${comparison.changePercent > 0 ? '+' : ''}${comparison.changePercent}%`;

const verdictWords: Record<Comparison['verdict'], string> = {
  pass: 'pass',
  warning: 'WARNING',
  fail: 'FAIL',
  'no baseline': 'no baseline',
};

/** One comparison in a line: `… p(95)<=+25%/+50%: 31 ms against 11 ms (+181.8%)`. */
export const comparisonLine = (comparison: Comparison): string =>
  `${comparison.metric} ${comparison.expression}: ${value(comparison.measured, comparison.unit)} against ` +
  `${value(comparison.baseline, comparison.unit)} (${change(comparison)})`;

/** Which run this one was compared with, or why with none. */
export function baselineSentence(report: SimReport, linkFrom?: string): string {
  const { baseline } = report;
  if (!baseline) {
    return (
      `No baseline: no passing run of this kind (${report.runKind ?? 'unknown'}) in the reports folder, ` +
      'so the relative objectives compared nothing and failed nothing.'
    );
  }
  const markdown = join(dirname(baseline.report), 'report.md');
  const file = linkFrom ? relativePath(linkFrom, markdown) : markdown;
  return (
    `Baseline: run ${baseline.runId} (commit \`${baseline.commit.slice(0, 12)}\`, ${baseline.chosen}; ` +
    `${report.runKind ?? ''}), [its report](${file}).`
  );
}

/** report.md's side-by-side table; nothing when the run had no relative objectives. */
export function comparisonsSection(report: SimReport): string[] {
  const comparisons = report.comparisons ?? [];
  if (!comparisons.length) return [];
  return [
    '## Compared with the last good run',
    '',
    baselineSentence(report, report.artefacts.dir),
    '',
    markdownTable(
      ['Metric', 'Objective', 'This run', 'Baseline', 'Change', 'Verdict'],
      comparisons.map((c) => [
        c.metric,
        c.expression,
        value(c.measured, c.unit),
        value(c.baseline, c.unit),
        change(c),
        c.note ? `${verdictWords[c.verdict]} (${c.note})` : verdictWords[c.verdict],
      ]),
    ),
    '',
  ];
}

/** The terminal's lines: what was compared with what, and each regression. */
export function comparisonSummary(report: SimReport): string[] {
  const comparisons = report.comparisons ?? [];
  if (!comparisons.length) return [];
  if (!report.baseline)
    return [`relative objectives: no baseline yet (${report.runKind ?? ''}), nothing compared`];
  const count = (verdict: Comparison['verdict']) => comparisons.filter((c) => c.verdict === verdict).length;
  return [
    `compared with ${report.baseline.runId} (${report.baseline.chosen}): ` +
      `${count('pass')} pass, ${count('warning')} warning, ${count('fail')} fail` +
      (count('no baseline') ? `, ${count('no baseline')} not in the baseline` : ''),
    ...comparisons.filter((c) => c.verdict === 'fail').map((c) => `regressed: ${comparisonLine(c)}`),
  ];
}
