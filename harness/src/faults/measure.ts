// The drills as the gate measures them: each drill's recovery, failures,
// latency and checks (tag drill), and the load outside every drill (steady_*);
// and each drill's verdict, from its checks and the thresholds that apply to it.
import type { Metrics, Threshold } from '../gate/index.ts';
import type { DrillRecord, FaultsRecord, JudgedFaults } from './judge.ts';

/** Each drill's recovery, failures, latency and checks; the load outside the drills. */
export function measureFaults(metrics: Metrics, faults: JudgedFaults): void {
  for (const drill of faults.record.drills) {
    const tags = { drill: drill.drill };
    for (const episode of drill.episodes) {
      // Not recovered within the drill's time: past any bound.
      metrics.trend('drill_recovery', episode.recoverySeconds ?? Number.POSITIVE_INFINITY, tags);
    }
    if (drill.error) metrics.trend('drill_recovery', Number.POSITIVE_INFINITY, tags);
    metrics.count('drill_failed', drill.requests.failedInWindows, tags);
    metrics.count('drill_failed_after', drill.requests.failedAfter, tags);
    for (const request of faults.windows.get(drill.drill) ?? [])
      metrics.trend('drill_req_duration', request.ms, { ...tags, group: request.group });
    // A drill that could not be done is a failed check.
    if (drill.error) metrics.rate('drill_checks', false, tags);
    for (const check of drill.checks) metrics.rate('drill_checks', check.ok, tags);
  }
  for (const request of faults.steady) {
    metrics.trend('steady_req_duration', request.ms, { group: request.group });
    metrics.rate('steady_req_failed', request.failed, { group: request.group });
  }
  for (const check of faults.steadyChecks) metrics.rate('steady_checks', check.ok);
}

/** A drill and whether every threshold and check of it held. */
export interface DrillVerdict extends DrillRecord {
  ok: boolean;
}

/** Each drill's verdict: its checks, and every drill threshold as it applies to that drill. */
export function drillVerdicts(
  record: FaultsRecord,
  metrics: Metrics,
  thresholds: Threshold[],
): DrillVerdict[] {
  return record.drills.map((drill) => {
    const own = `drill:${drill.drill}`;
    const held = thresholds
      .filter((t) => t.metric.startsWith('drill_'))
      .filter((t) => !/drill:/.test(t.metric) || t.metric.includes(own))
      .every((t) => {
        const metric = t.metric.includes(own)
          ? t.metric
          : t.metric.includes('{')
            ? t.metric.replace('{', `{${own},`)
            : `${t.metric}{${own}}`;
        return metrics.evaluate({ ...t, metric }).ok;
      });
    return { ...drill, ok: held && !drill.error && drill.checks.every((check) => check.ok) };
  });
}
