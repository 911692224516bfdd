// The fault drills in the report: one row each for people, the checks that
// failed, and a JUnit case per drill.
import { mark, markdownTable, ms } from './format.ts';
import type { DrillReport, SimReport } from './types.ts';

/** "2.1 s" per episode, "not recovered" where one never did. */
export const recoveries = (drill: DrillReport): string =>
  drill.error
    ? 'not done'
    : drill.episodes
        .map((episode) =>
          episode.recoverySeconds === null ? 'not recovered' : `${episode.recoverySeconds} s`,
        )
        .join(', ');

/** Why a drill failed, in one line: its error, or its checks that did not hold. */
export const drillProblems = (drill: DrillReport): string =>
  drill.error
    ? `could not be done: ${drill.error}`
    : drill.checks
        .filter((check) => !check.ok)
        .map((check) => `${check.name}${check.detail ? ` (${check.detail})` : ''}`)
        .join('; ');

export function faultsSection(report: SimReport): string[] {
  const faults = report.faults;
  if (!faults) return [];
  return [
    '## Faults',
    '',
    `Each drill ran during the load. Its window is from the fault until the app recovered, plus ${faults.settleMs / 1000} s; ` +
      `"after" is the rest of its slot. Outside every window (the steady state): ${faults.steady.requests} requests, ` +
      `${faults.steady.failed} failed, p95 ${ms(faults.steady.p95Ms)}.`,
    '',
    markdownTable(
      [
        'Drill',
        'Recovery',
        'Requests in its window',
        'Failed',
        'Failed after',
        'p95 / max in it',
        'Checks',
        'Verdict',
      ],
      faults.drills.map((drill) => [
        drill.title,
        recoveries(drill),
        String(drill.requests.inWindows),
        String(drill.requests.failedInWindows),
        String(drill.requests.failedAfter),
        `${ms(drill.requests.p95InWindowsMs)} / ${ms(drill.requests.maxInWindowsMs)}`,
        `${drill.checks.filter((check) => check.ok).length} of ${drill.checks.length}`,
        mark(drill.ok),
      ]),
    ),
    '',
    ...faults.drills.flatMap((drill) => [
      `- **${drill.drill}** proves that ${drill.proves}.`,
      ...drill.checks.map(
        (check) =>
          `  - ${check.ok ? 'held' : '**did not hold**'}: ${check.name}${check.detail ? ` (${check.detail})` : ''}`,
      ),
      ...(drill.error ? [`  - **could not be done**: ${drill.error}`] : []),
    ]),
    '',
  ];
}
