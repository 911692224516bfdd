// npm run load: the k6 journey alone, against --target, a rehearsal left
// running, or (when neither) a rehearsal started for it and removed afterwards.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors/index.ts';
import {
  describeReconciliation,
  describeStalls,
  k6FromImage,
  k6Missing,
  resolveK6,
  runLoad,
  tasksLost,
  watchStalls,
  type LoadOutcome,
  type StallWatch,
} from '../load/index.ts';
import { projectName } from '../projects/index.ts';
import { findKeptRehearsal, rehearsalDefaults, startRehearsalForCommand } from '../rehearsal/index.ts';
import { mark, table } from '../report/index.ts';
import { loadWithDrills } from './load-faults.ts';
import {
  faultOptions,
  loadFlags,
  loadFlagsHelp,
  loadOptions,
  reportsDir,
  reportsDirFlag,
  targetUrl,
} from './options.ts';

export const loadHelp = `npm run load -- [options]
  --target URL        where to send the load (default: a rehearsal left running, else one started for it)
${loadFlagsHelp} (default smoke)
  --faults            the fault drills during the load profile, against a rehearsal this machine runs
                      (left running, or started for it), judged as npm run sim -- --faults judges them
  --drills LIST       with --faults, only these drills (comma-separated)
  --reports-dir DIR   where reports/load-<time>/ goes (default reports/)
  Exit codes: 0 thresholds held, 1 a threshold was crossed, 2 could not run.`;

interface Target {
  baseUrl: string;
  caCertificate?: string;
  /** The rehearsal behind it, to reconcile with its database. */
  projectName?: string;
}

/** Each threshold k6 ran with, and what it measured. */
function thresholdRows(outcome: LoadOutcome): string[][] {
  return Object.entries(outcome.result.summary?.metrics ?? {}).flatMap(([metric, data]) =>
    Object.entries(data.thresholds ?? {}).map(([expression, verdict]) => {
      const aggregation = /^[a-z]+(\(\d+(\.\d+)?\))?/.exec(expression)?.[0] ?? '';
      const value = data.values[aggregation];
      return [
        metric,
        expression,
        value === undefined ? '–' : String(Math.round(value * 1000) / 1000),
        mark(verdict.ok),
      ];
    }),
  );
}

/** 0 held, 1 crossed (or the database lost or could not vouch for a write), 2 k6 could not run. */
function exitCodeOf(outcome: LoadOutcome): number {
  const { result, reconciliation, reconciliationError } = outcome;
  const lost =
    reconciliationError !== undefined || (reconciliation !== null && tasksLost(reconciliation) > 0);
  if (lost) return 1;
  if (result.exitCode === 0) return 0;
  if (result.exitCode === 99) return 1;
  process.stderr.write(`k6 could not run (exit ${result.exitCode}); its output is above\n`);
  return 2;
}

function printOutcome(outcome: LoadOutcome, stalls: StallWatch): void {
  const { result, reconciliation, reconciliationError } = outcome;
  process.stdout.write(
    `\n${table(['metric', 'threshold', 'measured', 'verdict'], thresholdRows(outcome))}\n`,
  );
  process.stdout.write(`summary: ${result.summaryPath}\nreport:  ${result.dashboardPath}\n`);
  if (reconciliation) {
    process.stdout.write(`reconciled with the database: ${describeReconciliation(reconciliation)}\n`);
  } else if (reconciliationError) {
    process.stdout.write(`not reconciled with the database: ${reconciliationError}\n`);
  }
  const stalled = describeStalls(stalls.stop());
  if (stalled) process.stdout.write(`note: ${stalled}\n`);
}

export async function loadCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string' },
      ...loadFlags,
      ...reportsDirFlag,
      faults: { type: 'boolean', default: false },
      drills: { type: 'string' },
    },
    strict: true,
  });
  const faults = values.faults || values.drills !== undefined ? faultOptions(values) : null;
  if (faults && values.target !== undefined) {
    throw new UsageError('--faults: the drills act on a rehearsal this machine runs; drop --target');
  }
  const load = loadOptions(values, faults ? 'load' : 'smoke');
  const given = values.target === undefined ? undefined : { baseUrl: targetUrl('--target', values.target) };
  const k6 = await resolveK6(env);
  if (!k6) throw new UsageError(k6Missing(env));
  if (k6.kind === 'image') process.stderr.write(`${k6FromImage(k6.image)}\n`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(reportsDir(values['reports-dir']), `load-${stamp}`);
  const kept = given ? undefined : await findKeptRehearsal();
  const started =
    given || kept
      ? undefined
      : await startRehearsalForCommand({
          projectName: projectName('load'),
          step: 'load',
          env: rehearsalDefaults(env),
        });
  const target: Target = given ??
    kept ?? {
      baseUrl: started?.rehearsal.baseUrl ?? '',
      ...(started
        ? { caCertificate: started.rehearsal.caCertificate, projectName: started.rehearsal.projectName }
        : {}),
    };
  // Ctrl-C or a SIGTERM stops k6 at once; a rehearsal started here is then removed (below).
  const stopK6 = new AbortController();
  const onSignal = () => {
    stopK6.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stalls = watchStalls();
  try {
    process.stdout.write(`k6 ${load.profile} against ${target.baseUrl}\n`);
    if (faults) {
      const drilled = await loadWithDrills({
        target: {
          baseUrl: target.baseUrl,
          caCertificate: target.caCertificate ?? '',
          projectName: target.projectName ?? '',
        },
        plan: faults,
        outDir,
        runTag: stamp,
        users: load.users,
        signal: stopK6.signal,
      });
      printOutcome(drilled.outcome, stalls);
      return Math.max(exitCodeOf(drilled.outcome), drilled.held ? 0 : 1);
    }
    const outcome = await runLoad({
      baseUrl: target.baseUrl,
      profile: load.profile,
      outDir,
      runTag: stamp,
      projectName: target.projectName,
      ...(target.caCertificate ? { caCertificate: target.caCertificate } : {}),
      ...(load.users === undefined ? {} : { users: load.users }),
      ...(load.duration ? { duration: load.duration } : {}),
      onLine: (line) => process.stdout.write(`${line}\n`),
      signal: stopK6.signal,
    });
    printOutcome(outcome, stalls);
    return exitCodeOf(outcome);
  } finally {
    stalls.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (started) {
      started.interrupts[Symbol.dispose]();
      await started.rehearsal.down();
    }
  }
}
