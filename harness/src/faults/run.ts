// The drills of a run, one after another while the load goes on, with one
// drill user asking for its tasks throughout.
import type { StartedRehearsal } from '../rehearsal/index.ts';
import { readCaCertificate } from '../rehearsal/index.ts';
import type { DrillCheck, DrillName, DrillOutcome, Episode } from './drill.ts';
import { anonymousRequests, Probe, signUpProbeUser, type ProbeSample } from './probe.ts';
import type { DrillPlan } from './schedule.ts';

export interface DrillRun {
  drill: DrillName;
  title: string;
  proves: string;
  /** Epoch ms: its share of the load. */
  slot: { start: number; end: number };
  episodes: Episode[];
  checks: DrillCheck[];
  restarts: Record<string, number>;
  /** Why the drill could not be done (it then fails). */
  error?: string;
}

export interface DrillsDone {
  runs: DrillRun[];
  /** What the drill user saw, over every drill. */
  probe: ProbeSample[];
}

/** Resolves at `at` (epoch ms); rejects as soon as `signal` aborts. */
function until(at: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('the drills were interrupted'));
      return;
    }
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', stop);
        resolve();
      },
      Math.max(0, at - Date.now()),
    );
    const stop = () => {
      clearTimeout(timer);
      reject(new Error('the drills were interrupted'));
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/**
 * Runs the plan's drills against the rehearsal, the first at `startAt` (epoch
 * ms), each in its slot. A drill that throws is recorded as not done and the
 * next one goes on; an interrupt stops them all (each puts back what it changed).
 */
export async function runDrills(input: {
  plan: DrillPlan;
  rehearsal: Pick<StartedRehearsal, 'baseUrl' | 'fetch' | 'containerId' | 'kubernetesDrills'>;
  startAt: number;
  signal: AbortSignal;
  output: (line: string) => void;
}): Promise<DrillsDone> {
  const { rehearsal, signal } = input;
  const signUp = (label: string) => signUpProbeUser(rehearsal.fetch, rehearsal.baseUrl, label);
  const probe = new Probe(await signUp('probe'));
  probe.start();
  const runs: DrillRun[] = [];
  try {
    await until(input.startAt, signal);
    for (const [index, drill] of input.plan.drills.entries()) {
      const start = Date.now();
      const slot = { start, end: start + drill.slotMs };
      input.output(`drill ${index + 1} of ${input.plan.drills.length}: ${drill.title}`);
      const record: Omit<DrillRun, 'episodes' | 'checks' | 'restarts'> = {
        drill: drill.name,
        title: drill.title,
        proves: drill.proves,
        slot,
      };
      let outcome: DrillOutcome;
      try {
        outcome = await drill.run(
          {
            stack: {
              baseUrl: rehearsal.baseUrl,
              containerId: (service) => rehearsal.containerId(service),
              caCertificate: () => readCaCertificate(rehearsal.containerId('proxy')),
              ...(rehearsal.kubernetesDrills ? { kubernetes: rehearsal.kubernetesDrills } : {}),
            },
            probe,
            signUp,
            anonymous: anonymousRequests(rehearsal.fetch, rehearsal.baseUrl),
            until: (at) => until(at, signal),
            output: (line) => {
              input.output(`${drill.name}: ${line}`);
            },
          },
          slot,
        );
      } catch (error) {
        if (signal.aborted) throw error;
        runs.push({ ...record, episodes: [], checks: [], restarts: {}, error: (error as Error).message });
        continue;
      }
      runs.push({ ...record, ...outcome });
      await until(slot.end, signal);
    }
  } finally {
    await probe.stop();
  }
  return { runs, probe: probe.samples };
}
