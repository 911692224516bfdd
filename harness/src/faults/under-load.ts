// The k6 load with the drills during it: k6 logs every request (CSV), the
// drills start once the users have arrived and the load has settled, and each
// drill is then judged on the requests of its window. k6 always runs to its end.
import {
  readLoadSamples,
  runLoad,
  type LoadOptions,
  type LoadOutcome,
  type LoadSamples,
  type TaskDatabase,
} from '../load/index.ts';
import { drills as catalogue } from './drills/catalogue.ts';
import { judgeFaults, type JudgedFaults } from './judge.ts';
import { runDrills, type DrillsDone } from './run.ts';
import { quietBeforeMs, type DrillPlan } from './schedule.ts';

/** The load profile's ramp to its users (loadtests/lib/profiles.ts), and k6's own start. */
const rampMs = 30_000 + 2_000;

/** The drills could not be done (the drill user could not sign up, a drill's setup failed). */
export class DrillsFailed extends Error {
  override name = 'DrillsFailed';
}

export async function runLoadWithDrills(input: {
  plan: DrillPlan;
  load: Omit<LoadOptions, 'outputs' | 'duration' | 'profile'> & {
    projectName?: string | undefined;
    database?: TaskDatabase | undefined;
  };
  rehearsal: Parameters<typeof runDrills>[0]['rehearsal'];
  signal: AbortSignal;
  onDrill: (line: string) => void;
}): Promise<{
  outcome: LoadOutcome;
  drills: DrillsDone;
  faults: JudgedFaults;
  requestsFile: string;
  /** Every request of the load, as read from requestsFile (the report charts them too). */
  samples: LoadSamples;
}> {
  const requestsFile = `${input.load.outDir}/requests.csv.gz`;
  const [outcome, drills] = await Promise.allSettled([
    runLoad({
      ...input.load,
      profile: 'load',
      duration: `${input.plan.holdSeconds}s`,
      // Every request with its time: the drills are judged on those of their windows.
      outputs: [`csv=${requestsFile}`],
    }),
    runDrills({
      plan: input.plan,
      rehearsal: input.rehearsal,
      startAt: Date.now() + rampMs + quietBeforeMs,
      signal: input.signal,
      output: input.onDrill,
    }),
  ]);
  if (outcome.status === 'rejected') throw outcome.reason;
  if (drills.status === 'rejected') {
    throw new DrillsFailed(`the fault drills could not run: ${(drills.reason as Error).message}`);
  }
  const samples = await readLoadSamples(requestsFile);
  const faults = judgeFaults(drills.value.runs, samples, (name) => catalogue[name].requestChecks);
  return { outcome: outcome.value, drills: drills.value, faults, requestsFile, samples };
}
