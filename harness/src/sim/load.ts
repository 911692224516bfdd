// The load phase of `npm run sim`: the k6 journey against the rehearsal with
// the gate's own thresholds, then the reconciliation with its database. k6's
// results become gate metrics; a k6 that could not run stops the run.
import { relative } from 'node:path';
import { k6Thresholds, trendStats, type Metrics, type Threshold } from '../gate/index.ts';
import { abortedEarly, describeReconciliation, runLoad, tasksLost, type LoadProfile } from '../load/index.ts';
import { loadLine, type LoadRecord } from '../report/index.ts';
import type { StartedRehearsal } from '../stack/index.ts';
import { RunFailure } from './failure.ts';

export interface SimLoad {
  profile: LoadProfile;
  users?: number;
  duration?: string;
}

export async function runLoadPhase(options: {
  load: SimLoad;
  rehearsal: StartedRehearsal;
  projectName: string;
  /** The run's report directory; k6's files go to load/ inside it. */
  dir: string;
  runId: string;
  thresholds: Threshold[];
  metrics: Metrics;
  signal: AbortSignal;
  output: (line: string) => void;
  /** How often the elapsed time is shown (a terminal: every second; a CI log: less often). */
  tickMs: number;
}): Promise<{ record: LoadRecord; detail: string }> {
  const { load, metrics } = options;
  const started = performance.now();
  const who = `${load.profile}${load.users ? `, ${load.users} users` : ''}`;
  const ticker = setInterval(() => {
    options.output(`k6 ${who}: ${Math.round((performance.now() - started) / 1000)} s`);
  }, options.tickMs);
  const outcome = await runLoad({
    baseUrl: options.rehearsal.baseUrl,
    caCertificate: options.rehearsal.caCertificate,
    profile: load.profile,
    outDir: `${options.dir}/load`,
    runTag: options.runId,
    thresholds: k6Thresholds(options.thresholds),
    trendStats: trendStats(options.thresholds),
    projectName: options.projectName,
    signal: options.signal,
    ...(load.users === undefined ? {} : { users: load.users }),
    ...(load.duration === undefined ? {} : { duration: load.duration }),
  }).finally(() => {
    clearInterval(ticker);
  });
  const { result, figures, reconciliation } = outcome;
  // 0: k6's thresholds held; 99: one crossed (or stopped the run early). The gate judges either way.
  if (![0, 99].includes(result.exitCode) || !result.summary) {
    throw new RunFailure({
      step: 'load',
      message: `k6 exited with ${result.exitCode}${result.summary ? '' : ' and wrote no summary'}`,
      hint: `read ${outcome.logPath}; npm run load -- --target ${options.rehearsal.baseUrl} --profile smoke runs the same script alone`,
    });
  }
  metrics.useK6Summary(result.summary.metrics);
  // A run cut short measured less than it was asked to: that alone fails the gate.
  const stoppedEarly = abortedEarly(result.summary);
  metrics.count('load_stopped_early', stoppedEarly ? 1 : 0);
  const lost = reconciliation ? tasksLost(reconciliation) : null;
  // A database that could not be read is not "nothing lost": tasks_lost stays unmeasured and fails.
  if (lost !== null) metrics.count('tasks_lost', lost);
  const file = (path: string) => relative(options.dir, path);
  const record: LoadRecord = {
    profile: load.profile,
    ...(load.users === undefined ? {} : { users: load.users }),
    ...(load.duration === undefined ? {} : { duration: load.duration }),
    k6ExitCode: result.exitCode,
    abortedEarly: stoppedEarly,
    durationMs: Math.round(performance.now() - started),
    ...figures,
    reconciliation: reconciliation ? { ...reconciliation, lost: lost ?? 0 } : null,
    ...(outcome.reconciliationError ? { reconciliationError: outcome.reconciliationError } : {}),
    files: {
      summary: file(result.summaryPath),
      dashboard: file(result.dashboardPath),
      log: file(outcome.logPath),
      console: file(result.consolePath),
    },
  };
  options.output(
    reconciliation
      ? `reconciled: ${describeReconciliation(reconciliation)}`
      : `not reconciled: ${outcome.reconciliationError ?? 'no database'}`,
  );
  return { record, detail: loadLine(record) };
}
