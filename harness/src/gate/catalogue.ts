// Every metric a threshold may name: what it measures, in what unit, and who
// measures it (the harness, or k6 during the load).
export type MetricKind = 'trend' | 'rate' | 'counter';

export interface MetricInfo {
  kind: MetricKind;
  unit: 'ms' | 's' | 'share' | 'count' | 'per second';
  /** sim: measured by the harness; k6: measured and judged by k6 during the load. */
  source: 'sim' | 'k6';
  /** Measured by the harness only when there is a load (tasks_lost). */
  afterLoad?: true;
  /** Measured only with the fault drills (--faults). */
  faults?: true;
  description: string;
}

/** Every metric a threshold may name; a typo is an error, not a silently passing gate. */
export const metricCatalogue: Record<string, MetricInfo> = {
  http_req_duration: {
    kind: 'trend',
    unit: 'ms',
    source: 'k6',
    description: 'time to the full response of each request of the load (k6)',
  },
  http_req_waiting: {
    kind: 'trend',
    unit: 'ms',
    source: 'k6',
    description: 'time to the first byte of each request of the load (k6)',
  },
  http_req_failed: {
    kind: 'rate',
    unit: 'share',
    source: 'k6',
    description: 'share of the load’s requests answered with an error or an unexpected status (k6)',
  },
  http_reqs: { kind: 'counter', unit: 'count', source: 'k6', description: 'requests the load made (k6)' },
  iterations: { kind: 'counter', unit: 'count', source: 'k6', description: 'visits the load completed (k6)' },
  checks: {
    kind: 'rate',
    unit: 'share',
    source: 'k6',
    description: 'share of the load’s checks that passed (k6)',
  },
  load_stopped_early: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    afterLoad: true,
    description: 'loads k6 stopped early because more than half the requests failed',
  },
  tasks_lost: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    afterLoad: true,
    description:
      'acknowledged writes of the load the database does not hold (missing, not deleted, stored twice)',
  },
  scenario_req_duration: {
    kind: 'trend',
    unit: 'ms',
    source: 'sim',
    description: 'time to the full response of each request the scenarios made',
  },
  scenario_req_failed: {
    kind: 'rate',
    unit: 'share',
    source: 'sim',
    description: 'share of the scenarios’ requests answered with a status the step did not expect',
  },
  scenario_checks: {
    kind: 'rate',
    unit: 'share',
    source: 'sim',
    description: 'share of scenario steps that passed',
  },
  browser_flow_skipped: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    description:
      'browser flows skipped because no browser was found (--no-browser is a choice, not counted); held to 0 in CI',
  },
  scenarios_failed: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    description: 'scenarios with a failed step',
  },
  service_restarts: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    description: 'times a service container restarted after the stack was up',
  },
  service_oom_kills: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    description: 'containers killed for running out of memory',
  },
  service_memory: {
    kind: 'trend',
    unit: 'share',
    source: 'sim',
    description:
      'peak memory of each service container as a share of its limit, over the scenarios and the load',
  },
  service_startup: {
    kind: 'trend',
    unit: 's',
    source: 'sim',
    description: 'seconds from a service container starting to it being healthy (or done, for one-shots)',
  },
  drill_recovery: {
    kind: 'trend',
    unit: 's',
    source: 'sim',
    faults: true,
    description:
      'seconds each fault drill took to recover (tag drill): to healthy after a crash, to the first success once a service was back',
  },
  drill_failed: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    faults: true,
    description:
      'requests of the load that failed during a drill, from the fault until the app recovered (tag drill)',
  },
  drill_failed_after: {
    kind: 'counter',
    unit: 'count',
    source: 'sim',
    faults: true,
    description:
      'requests of the load that failed after a drill’s recovery, until the next drill (tag drill)',
  },
  drill_req_duration: {
    kind: 'trend',
    unit: 'ms',
    source: 'sim',
    faults: true,
    description: 'time to the full response of the load’s requests during a drill (tags drill, group)',
  },
  drill_checks: {
    kind: 'rate',
    unit: 'share',
    source: 'sim',
    faults: true,
    description: 'share of a drill’s own checks that held (tag drill)',
  },
  steady_req_duration: {
    kind: 'trend',
    unit: 'ms',
    source: 'sim',
    faults: true,
    description:
      'with drills: time to the full response of the load’s requests outside every drill (tag group)',
  },
  steady_req_failed: {
    kind: 'rate',
    unit: 'share',
    source: 'sim',
    faults: true,
    description: 'with drills: share of the load’s requests outside every drill that failed',
  },
  steady_checks: {
    kind: 'rate',
    unit: 'share',
    source: 'sim',
    faults: true,
    description: 'with drills: share of the load’s checks outside every drill that passed',
  },
};
