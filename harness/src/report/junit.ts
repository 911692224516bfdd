import { comparisonLine } from './comparisons.ts';
import { drillProblems, recoveries } from './faults.ts';
import type { SimReport } from './types.ts';

const escape = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

const secondsAttr = (ms: number) => (ms / 1000).toFixed(3);

interface Case {
  name: string;
  ms: number;
  failure?: string;
  skipped?: string;
}

function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const total = cases.reduce((sum, c) => sum + c.ms, 0);
  const body = cases.map((c) => {
    const open = `    <testcase classname="${escape(name)}" name="${escape(c.name)}" time="${secondsAttr(c.ms)}"`;
    if (c.failure !== undefined) return `${open}><failure message="${escape(c.failure)}"/></testcase>`;
    if (c.skipped !== undefined) return `${open}><skipped message="${escape(c.skipped)}"/></testcase>`;
    return `${open}/>`;
  });
  return [
    `  <testsuite name="${escape(name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${secondsAttr(total)}">`,
    ...body,
    '  </testsuite>',
  ].join('\n');
}

/** JUnit XML for CI: one suite per scenario (a case per step), one for the drills, one for the gate's thresholds, one for the run itself. */
export function renderJunit(report: SimReport): string {
  const suites = report.scenarios.map((scenario) =>
    suite(
      `scenario: ${scenario.name}`,
      scenario.skipped
        ? [{ name: scenario.name, ms: 0, skipped: scenario.skipped }]
        : scenario.steps.map((step) => ({
            name: step.name,
            ms: step.durationMs,
            ...(step.ok ? {} : { failure: step.error ?? 'failed' }),
          })),
    ),
  );
  if (report.faults) {
    suites.push(
      suite(
        'faults',
        report.faults.drills.map((drill) => ({
          name: `${drill.drill}: ${drill.title} (recovery ${recoveries(drill)})`,
          ms: drill.slot.end - drill.slot.start,
          ...(drill.ok
            ? {}
            : { failure: drillProblems(drill) || 'a drill threshold was breached (see the gate suite)' }),
        })),
      ),
    );
  }
  suites.push(
    suite(
      'gate',
      report.thresholds.map((t) => ({
        name: `${t.metric} ${t.expression}`,
        ms: 0,
        ...(t.ok ? {} : { failure: `measured ${t.measured === null ? 'nothing' : t.measured}` }),
      })),
    ),
  );
  if (report.comparisons?.length) {
    suites.push(
      suite(
        'baseline',
        report.comparisons.map((c) => ({
          name: `${c.metric} ${c.expression}`,
          ms: 0,
          ...(c.verdict === 'fail' ? { failure: comparisonLine(c) } : {}),
        })),
      ),
    );
  }
  if (report.error) {
    const where = report.error.service ? ` (${report.error.service})` : '';
    suites.push(
      suite('run', [
        {
          name: report.error.step,
          ms: 0,
          failure: `${report.error.message}${where}. Try: ${report.error.hint}`,
        },
      ]),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="rehearsal ${escape(report.runId)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
