// npm run load -- --faults: the drills against a rehearsal that is running,
// under the load profile, judged as `npm run sim -- --faults` judges them.
import { projectContainers } from '../docker/index.ts';
import {
  drillThresholds,
  drillVerdicts,
  measureFaults,
  runLoadWithDrills,
  type DrillPlan,
} from '../faults/index.ts';
import { judge, Metrics, metricInfo, resolveThresholds } from '../gate/index.ts';
import type { LoadOutcome } from '../load/index.ts';
import { fetchTrusting } from '../rehearsal/index.ts';
import { drillProblems, mark, measured, recoveries, table } from '../report/index.ts';

export interface DrillTarget {
  baseUrl: string;
  caCertificate: string;
  projectName: string;
}

/** The load with the drills; what each drill and the steady state measured, printed; whether all held. */
export async function loadWithDrills(input: {
  target: DrillTarget;
  plan: DrillPlan;
  outDir: string;
  runTag: string;
  users: number | undefined;
  signal: AbortSignal;
}): Promise<{ outcome: LoadOutcome; held: boolean }> {
  const { target } = input;
  const ids = new Map((await projectContainers(target.projectName)).map((c) => [c.service, c.id]));
  const { outcome, faults } = await runLoadWithDrills({
    plan: input.plan,
    load: {
      baseUrl: target.baseUrl,
      caCertificate: target.caCertificate,
      outDir: input.outDir,
      runTag: input.runTag,
      projectName: target.projectName,
      // k6 only stops a broken run early; the drills and the steady state are judged below.
      thresholds: {},
      signal: input.signal,
      onLine: (line) => process.stdout.write(`${line}\n`),
      ...(input.users === undefined ? {} : { users: input.users }),
    },
    rehearsal: {
      baseUrl: target.baseUrl,
      fetch: fetchTrusting(target.caCertificate),
      containerId: (service) => {
        const id = ids.get(service);
        if (!id) throw new Error(`${target.projectName} has no ${service} container`);
        return id;
      },
    },
    signal: input.signal,
    onDrill: (line) => process.stdout.write(`drill: ${line}\n`),
  });
  const metrics = new Metrics();
  measureFaults(metrics, faults);
  const thresholds = resolveThresholds({ load: 'load', drills: drillThresholds(input.plan) }).filter(
    (threshold) => metricInfo(threshold.metric)?.faults,
  );
  const verdict = judge(metrics, thresholds);
  process.stdout.write(
    `\n${table(
      ['metric', 'threshold', 'measured', 'verdict'],
      verdict.thresholds.map((t) => [t.metric, t.expression, measured(t), mark(t.ok)]),
    )}\n`,
  );
  const drills = drillVerdicts(faults.record, metrics, thresholds);
  for (const drill of drills) {
    process.stdout.write(
      `drill ${drill.drill}: ${mark(drill.ok)}, recovery ${recoveries(drill)}, ` +
        `${drill.requests.failedInWindows} failed in its window, ${drill.requests.failedAfter} after` +
        `${drill.ok ? '' : `: ${drillProblems(drill) || 'a threshold was breached'}`}\n`,
    );
  }
  return { outcome, held: verdict.ok && drills.every((drill) => drill.ok) };
}
