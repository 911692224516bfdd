// What the gate judges, from what the phases produced: the scenarios' requests
// and steps, k6's summary and the reconciliation, the services' records.
import { measureFaults, type JudgedFaults } from '../faults/index.ts';
import { Metrics } from '../gate/index.ts';
import type { ServiceRecord } from '../report/index.ts';
import type { LoadOutcome } from './load-phase.ts';
import type { ScenarioOutcome } from './scenarios-phase.ts';

function measureScenarios(metrics: Metrics, scenarios: ScenarioOutcome): void {
  for (const request of scenarios.requests) {
    const tags = { group: request.group, scenario: request.scenario };
    metrics.trend('scenario_req_duration', request.durationMs, tags);
    metrics.rate('scenario_req_failed', !request.ok, tags);
  }
  for (const record of scenarios.records) {
    for (const step of record.steps) metrics.rate('scenario_checks', step.ok, { scenario: record.name });
    metrics.count('scenarios_failed', record.ok ? 0 : 1, { scenario: record.name });
    if (record.kind === 'browser') metrics.count('browser_flow_skipped', record.noBrowser ? 1 : 0);
  }
}

function measureLoad(metrics: Metrics, load: LoadOutcome): void {
  metrics.useK6Summary(load.k6Metrics);
  metrics.count('load_stopped_early', load.record.abortedEarly ? 1 : 0);
  // A database that could not be read leaves tasks_lost unmeasured, which fails.
  if (load.record.reconciliation) metrics.count('tasks_lost', load.record.reconciliation.lost);
}

/** Restarts the drills caused on purpose, by service. */
function drillRestarts(faults: JudgedFaults | undefined): Map<string, number> {
  const caused = new Map<string, number>();
  for (const drill of faults?.record.drills ?? [])
    for (const [service, count] of Object.entries(drill.restarts))
      caused.set(service, (caused.get(service) ?? 0) + count);
  return caused;
}

function measureServices(metrics: Metrics, services: ServiceRecord[], caused: Map<string, number>): void {
  for (const record of services) {
    const tags = { service: record.service };
    if (record.startupSeconds !== undefined) metrics.trend('service_startup', record.startupSeconds, tags);
    // A restart a drill caused on purpose is the drill's to judge; any other is a defect.
    metrics.count('service_restarts', Math.max(0, record.restarts - (caused.get(record.service) ?? 0)), tags);
    metrics.count('service_oom_kills', record.oomKills, tags);
    // Over the scenarios and the load: how close each service came to its memory limit.
    if (record.memoryPeakBytes !== undefined && record.memoryLimitBytes) {
      metrics.trend('service_memory', record.memoryPeakBytes / record.memoryLimitBytes, tags);
    }
  }
}

export function gateMetrics(input: {
  scenarios: ScenarioOutcome | undefined;
  load: LoadOutcome | undefined;
  services: ServiceRecord[];
}): Metrics {
  const metrics = new Metrics();
  if (input.scenarios) measureScenarios(metrics, input.scenarios);
  if (input.load) measureLoad(metrics, input.load);
  if (input.load?.faults) measureFaults(metrics, input.load.faults);
  measureServices(metrics, input.services, drillRestarts(input.load?.faults));
  return metrics;
}
