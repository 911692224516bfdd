// What the load's requests say about each drill: how many failed between the
// fault and the recovery (its window), how many after it, how slow they were;
// and the steady state outside every window, which the load's own thresholds judge.
import { percentile } from '../gate/index.ts';
import type { Drill, DrillName, Episode } from './drill.ts';
import type { CheckSample, LoadSamples, RequestSample } from '../load/index.ts';
import type { DrillRun } from './run.ts';

/** After a recovery, how long failures still count against the drill (the proxy's health checks catch up). */
export const settleMs = 5_000;

export interface DrillRequests {
  /** Requests of the load that ended within the drill's windows. */
  inWindows: number;
  failedInWindows: number;
  /** Failed after the recovery, until the drill's slot ended. */
  failedAfter: number;
  p95InWindowsMs: number | null;
  maxInWindowsMs: number | null;
}

export interface DrillRecord extends DrillRun {
  requests: DrillRequests;
}

export interface FaultsRecord {
  drills: DrillRecord[];
  /** The load outside every drill's window. */
  steady: { requests: number; failed: number; p95Ms: number | null };
  settleMs: number;
}

/** From the fault until recovered (or the fault's end, when it never recovered) and a few seconds more. */
export const windowsOf = (episodes: Episode[]): [number, number][] =>
  episodes.map((episode) => [episode.injectedAt, (episode.recoveredAt ?? episode.clearedAt) + settleMs]);

const inside = (at: number, windows: [number, number][]) =>
  windows.some(([from, to]) => at >= from && at <= to);

const p95 = (values: number[]) =>
  values.length
    ? percentile(
        [...values].sort((a, b) => a - b),
        95,
      )
    : null;

export interface JudgedFaults {
  record: FaultsRecord;
  /** The requests of each drill's windows, by drill; and of the steady state. */
  windows: Map<DrillName, RequestSample[]>;
  after: Map<DrillName, RequestSample[]>;
  steady: RequestSample[];
  steadyChecks: CheckSample[];
}

/**
 * `requestChecksOf` gives a drill's checks on the requests of its windows
 * (Drill.requestChecks); they join the checks it made while it ran.
 */
export function judgeFaults(
  runs: DrillRun[],
  samples: LoadSamples,
  requestChecksOf: (drill: DrillName) => Drill['requestChecks'] = () => undefined,
): JudgedFaults {
  const windows = new Map<DrillName, RequestSample[]>();
  const after = new Map<DrillName, RequestSample[]>();
  const allWindows = runs.flatMap((run) => windowsOf(run.episodes));
  const drills = runs.map((run): DrillRecord => {
    const own = windowsOf(run.episodes);
    const lastEnd = Math.max(run.slot.start, ...own.map(([, to]) => to));
    const during = samples.requests.filter((sample) => inside(sample.at, own));
    const afterwards = samples.requests.filter((sample) => sample.at > lastEnd && sample.at <= run.slot.end);
    windows.set(run.drill, during);
    after.set(run.drill, afterwards);
    const durations = during.map((sample) => sample.ms);
    const requestChecks = run.error ? [] : (requestChecksOf(run.drill)?.(during, run.episodes) ?? []);
    return {
      ...run,
      checks: [...run.checks, ...requestChecks],
      requests: {
        inWindows: during.length,
        failedInWindows: during.filter((sample) => sample.failed).length,
        failedAfter: afterwards.filter((sample) => sample.failed).length,
        p95InWindowsMs: p95(durations),
        maxInWindowsMs: durations.length ? Math.max(...durations) : null,
      },
    };
  });
  const steady = samples.requests.filter((sample) => !inside(sample.at, allWindows));
  return {
    record: {
      drills,
      steady: {
        requests: steady.length,
        failed: steady.filter((sample) => sample.failed).length,
        p95Ms: p95(steady.map((sample) => sample.ms)),
      },
      settleMs,
    },
    windows,
    after,
    steady,
    steadyChecks: samples.checks.filter((check) => !inside(check.at, allWindows)),
  };
}
