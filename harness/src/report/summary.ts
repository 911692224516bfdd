import { comparisonSummary } from './comparisons.ts';
import { drillProblems, recoveries } from './faults.ts';
import { loadLine, mark, measured, seconds, table } from './format.ts';
import { describeStalls } from '../load/index.ts';
import type { SimReport } from './types.ts';

/** The few lines printed when a run ends: verdict, what failed, where the report is. */
export function renderSummary(report: SimReport): string {
  const lines: string[] = [''];
  if (report.thresholds.length) {
    lines.push(
      table(
        ['metric', 'threshold', 'measured', 'verdict'],
        report.thresholds.map((t) => [t.metric, t.expression, measured(t), mark(t.ok)]),
      ),
      '',
    );
  }
  const failed = report.scenarios.filter((s) => !s.ok && !s.skipped);
  const passed = report.scenarios.filter((s) => s.ok && !s.skipped).length;
  if (report.scenarios.length) {
    lines.push(
      `scenarios: ${passed} passed, ${failed.length} failed, ${report.scenarios.length - passed - failed.length} skipped`,
    );
    for (const scenario of failed) lines.push(`  FAIL ${scenario.name}: ${scenario.error ?? ''}`);
  }
  if (report.load) {
    const { load } = report;
    lines.push(
      `load: ${load.profile}${load.users ? `, ${load.users} users` : ''}: ${loadLine(load)}`,
      ...(report.artefacts.dashboard ? [`  k6 report: ${report.artefacts.dashboard}`] : []),
    );
    const stalled = describeStalls(load.machineStalls ?? []);
    if (stalled) lines.push(`  note: ${stalled}`);
  }
  for (const drill of report.faults?.drills ?? []) {
    const problems = drill.ok ? '' : `: ${drillProblems(drill) || 'a threshold was breached'}`;
    lines.push(
      `drill ${drill.drill}: ${drill.ok ? 'pass' : 'FAIL'}, recovery ${recoveries(drill)}, ` +
        `${drill.requests.failedInWindows} failed in its window, ${drill.requests.failedAfter} after${problems}`,
    );
  }
  if (report.error) {
    const service = report.error.service ? ` — service ${report.error.service}` : '';
    lines.push(
      `could not run: ${report.error.step}${service}: ${report.error.message}`,
      `  try: ${report.error.hint}`,
    );
    if (report.error.logTail.length)
      lines.push(`  last log lines:`, ...report.error.logTail.map((l) => `    ${l}`));
  }
  lines.push(...comparisonSummary(report));
  for (const warning of report.warnings ?? []) lines.push(`WARNING ${warning.name}: ${warning.detail}`);
  const breached = report.thresholds.filter((t) => !t.ok);
  for (const t of breached) lines.push(`breached: ${t.metric} ${t.expression} (measured ${measured(t)})`);
  const verdict = { pass: 'GATE PASSED', fail: 'GATE FAILED', error: 'COULD NOT RUN' }[report.verdict];
  lines.push(
    `${verdict} in ${seconds(report.durationMs)} — report: ${report.artefacts.markdown}` +
      (report.artefacts.html ? ` (with its charts: ${report.artefacts.html})` : ''),
  );
  if (report.verdict === 'pass') {
    lines.push(
      report.artefacts.signature
        ? `signed: ${report.artefacts.signature} (npm run promote -- --report ${report.artefacts.json})`
        : 'not signed (set GATE_SIGNING_KEY to sign it: promotion accepts only a signed report)',
    );
  }
  if (report.stack?.kept)
    lines.push(`the stack is still up at ${report.stack.baseUrl} (npm run down -- --rehearsal to remove it)`);
  return lines.join('\n');
}
