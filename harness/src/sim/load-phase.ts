// The load phase: the k6 journey against the rehearsal with the gate's own
// thresholds, then the reconciliation with its database. A k6 that could not
// run stops the run; crossed thresholds are the gate's to judge.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { RunFailure } from '../errors/index.ts';
import { k6Thresholds, trendStats, type RelativeObjective, type Threshold } from '../gate/index.ts';
import { DrillsFailed, runLoadWithDrills, type DrillPlan, type JudgedFaults } from '../faults/index.ts';
import {
  abortedEarly,
  describeReconciliation,
  describeStalls,
  loadSeries,
  readLoadSamples,
  runLoad,
  watchStalls,
  tasksLost,
  type K6Summary,
  type LoadOptions,
} from '../load/index.ts';
import { loadLine, type LoadRecord } from '../report/index.ts';
import type { StartedRehearsal } from '../rehearsal/index.ts';
import type { Phase } from '../pipeline/index.ts';
import type { SimLoad } from './setup.ts';

export interface LoadPhaseInput {
  load: SimLoad;
  rehearsal: StartedRehearsal;
  /** The run's report directory; k6's files go to load/ inside it. */
  dir: string;
  runId: string;
  thresholds: Threshold[];
  /** Objectives against the baseline: k6 must report their metrics too. */
  relative: RelativeObjective[];
  /** Aborted by an interrupt: k6 is stopped at once. */
  signal: AbortSignal;
  /** How often the elapsed time is shown (a terminal: every second; a CI log: less often). */
  tickMs: number;
  /** Fault drills during the load (--faults); null: none. */
  drills: DrillPlan | null;
}

export interface LoadOutcome {
  record: LoadRecord;
  /** k6's own measurements, judged by the gate. */
  k6Metrics: K6Summary['metrics'];
  /** The drills and what the load's requests say of each, when there were drills. */
  faults?: JudgedFaults;
}

async function runLoadPhase(input: LoadPhaseInput, output: (line: string) => void): Promise<LoadOutcome> {
  const { load, rehearsal } = input;
  const started = performance.now();
  const stalls = watchStalls();
  const who = `${load.profile}${load.users ? `, ${load.users} users` : ''}`;
  let drill = '';
  const ticker = setInterval(() => {
    output(`k6 ${who}: ${Math.round((performance.now() - started) / 1000)} s${drill ? ` · ${drill}` : ''}`);
  }, input.tickMs);
  const options: Omit<LoadOptions, 'profile'> & { projectName: string } = {
    baseUrl: rehearsal.baseUrl,
    caCertificate: rehearsal.caCertificate,
    outDir: `${input.dir}/load`,
    runTag: input.runId,
    thresholds: k6Thresholds(input.thresholds, input.relative),
    trendStats: trendStats([...input.thresholds, ...input.relative]),
    projectName: rehearsal.projectName,
    ...(rehearsal.database ? { database: rehearsal.database } : {}),
    signal: input.signal,
    ...(load.users === undefined ? {} : { users: load.users }),
  };
  const { outcome, faults, requestsFile, samples, duration } = await (async () => {
    if (!input.drills) {
      const requestsFile = `${options.outDir}/requests.csv.gz`;
      const plain = await runLoad({
        ...options,
        profile: load.profile,
        ...(load.duration ? { duration: load.duration } : {}),
        // Every request with its time: the report charts the load over time from it.
        outputs: [`csv=${requestsFile}`],
      });
      return { outcome: plain, faults: undefined, requestsFile, samples: undefined, duration: load.duration };
    }
    try {
      const drilled = await runLoadWithDrills({
        plan: input.drills,
        load: options,
        rehearsal,
        signal: input.signal,
        onDrill: (line) => {
          drill = line;
          output(line);
        },
      });
      return { ...drilled, duration: `${input.drills.holdSeconds}s` };
    } catch (error) {
      if (!(error instanceof DrillsFailed)) throw error;
      throw new RunFailure({
        step: 'load',
        message: error.message,
        hint: 'npm run sim -- --keep leaves the stack up; npm run load -- --faults then runs the drills against it',
      });
    }
  })().finally(() => {
    clearInterval(ticker);
    stalls.stop();
  });
  const machineStalls = stalls.stop();
  const stalled = describeStalls(machineStalls);
  if (stalled) output(stalled);
  const { result, figures, reconciliation } = outcome;
  // 0: k6's thresholds held; 99: one crossed (or stopped the run early). The gate judges either way.
  if (![0, 99].includes(result.exitCode) || !result.summary) {
    throw new RunFailure({
      step: 'load',
      message: `k6 exited with ${result.exitCode}${result.summary ? '' : ' and wrote no summary'}`,
      hint: `read ${outcome.logPath}; npm run load -- --target ${rehearsal.baseUrl} --profile smoke runs the same script alone`,
    });
  }
  const lost = reconciliation ? tasksLost(reconciliation) : null;
  // With drills the requests were read already, to judge them.
  const requests = samples ?? (existsSync(requestsFile) ? await readLoadSamples(requestsFile) : undefined);
  const series = requests ? loadSeries(requests.requests) : [];
  const file = (path: string) => relative(input.dir, path);
  output(
    reconciliation
      ? `reconciled: ${describeReconciliation(reconciliation)}`
      : `not reconciled: ${outcome.reconciliationError ?? 'no database'}`,
  );
  return {
    k6Metrics: result.summary.metrics,
    ...(faults ? { faults } : {}),
    record: {
      profile: load.profile,
      ...(load.users === undefined ? {} : { users: load.users }),
      ...(duration === undefined ? {} : { duration }),
      k6ExitCode: result.exitCode,
      // A run cut short measured less than it was asked to: that alone fails the gate.
      abortedEarly: abortedEarly(result.summary),
      durationMs: Math.round(performance.now() - started),
      ...(machineStalls.length ? { machineStalls } : {}),
      ...figures,
      ...(series.length ? { series } : {}),
      // A database that could not be read is not "nothing lost": tasks_lost stays unmeasured.
      reconciliation: reconciliation ? { ...reconciliation, lost: lost ?? 0 } : null,
      ...(outcome.reconciliationError ? { reconciliationError: outcome.reconciliationError } : {}),
      files: {
        summary: file(result.summaryPath),
        dashboard: file(result.dashboardPath),
        log: file(outcome.logPath),
        console: file(result.consolePath),
        requests: file(requestsFile),
      },
    },
  };
}

export const loadPhase: Phase<LoadPhaseInput, LoadOutcome> = {
  name: 'load',
  // k6 is killed on the interrupt's signal, and runLoad rejects once it is gone.
  stopsOnInterrupt: true,
  run: runLoadPhase,
  detail: ({ record }) => loadLine(record),
};
