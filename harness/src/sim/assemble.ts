// Puts a finished (or failed) run together as the gate report.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { composeFlavour, imageBuilder, imageId } from '../docker/index.ts';
import type { RunFailure } from '../errors/index.ts';
import { drillVerdicts } from '../faults/index.ts';
import {
  compareRun,
  judge,
  type Comparison,
  type Metrics,
  type RelativeObjective,
  type Threshold,
} from '../gate/index.ts';
import { gitInfo } from '../git/index.ts';
import { baseImages, imageReferences, type ImageSet } from '../images/index.ts';
import {
  baselineValue,
  comparisonLine,
  latestPassing,
  type Baseline,
  type KubernetesRecord,
  type PhaseRecord,
  type ReportWarning,
  type ScenarioRecord,
  type ServiceRecord,
  type SimReport,
} from '../report/index.ts';
import { rehearsalFile } from '../rehearsal/index.ts';
import type { LoadOutcome } from './load-phase.ts';
import { gateMetrics } from './measure.ts';
import { configHash, filesUnder, stackSettings } from '../provenance/index.ts';
import type { ScenarioOutcome } from './scenarios-phase.ts';
import type { RunSetup } from './setup.ts';

export interface RunOutcome {
  setup: RunSetup;
  env: NodeJS.ProcessEnv;
  thresholds: Threshold[];
  relative: RelativeObjective[];
  baseline: Baseline | 'latest' | 'none';
  /** What the run did, in words (report.runKind). */
  kind: string;
  images: ImageSet | undefined;
  scenarios: ScenarioOutcome | undefined;
  load: LoadOutcome | undefined;
  services: ServiceRecord[];
  phases: PhaseRecord[];
  stack?: { projectName: string; baseUrl: string; kept: boolean };
  platform: 'compose' | 'kubernetes';
  kubernetes?: KubernetesRecord;
  failure?: RunFailure;
}

/** Postgres, Redis, Node and Caddy by reference, with the ids they have here. */
async function baseImageIds(env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  const ids: Record<string, string | undefined> = {};
  for (const reference of Object.values(baseImages(env))) ids[reference] = await imageId(reference);
  return ids;
}

const artefacts = (
  dir: string,
  scenarios: ScenarioRecord[],
  load: LoadOutcome | undefined,
  signed: boolean,
) => ({
  dir,
  json: `${dir}/report.json`,
  ...(signed ? { signature: `${dir}/report.json.sig` } : {}),
  markdown: `${dir}/report.md`,
  junit: `${dir}/junit.xml`,
  ...(scenarios.some((s) => s.kind === 'browser' && !s.skipped) ? { browser: `${dir}/browser-flow` } : {}),
  // Written by the flow, passed or failed (a failed one is when it is read).
  ...(existsSync(`${dir}/browser-flow/trace.zip`) ? { trace: `${dir}/browser-flow/trace.zip` } : {}),
  ...(load ? { load: `${dir}/load`, dashboard: `${dir}/${load.record.files.dashboard}` } : {}),
});

/** Which Compose and which builder this machine used, when both answer. */
async function toolchain(): Promise<Pick<SimReport, 'toolchain'>> {
  try {
    const [compose, builder] = await Promise.all([composeFlavour(), imageBuilder()]);
    return {
      toolchain: {
        compose: `${compose.version}${compose.standalone ? ' (docker-compose)' : ''}`,
        builder:
          builder.kind === 'buildkit'
            ? `BuildKit (buildx ${builder.version})`
            : `the classic builder (engine ${builder.version})`,
      },
    };
  } catch {
    return {};
  }
}

/**
 * A browser flow skipped for want of a browser: loud in the report, and a
 * failed gate in CI. A figure worse than the baseline's within its failing band.
 */
function warningsOf(scenarios: ScenarioRecord[], comparisons: Comparison[]): { warnings?: ReportWarning[] } {
  const warnings: ReportWarning[] = [
    ...scenarios
      .filter((record) => record.noBrowser)
      .map((record) => ({
        name: 'browser_flow_skipped' as const,
        detail: `the ${record.name} did not run: ${record.skipped ?? 'no browser'}; in CI (CI=true) this fails the gate`,
      })),
    ...comparisons
      .filter((comparison) => comparison.verdict === 'warning')
      .map((comparison) => ({
        name: 'relative_warning' as const,
        detail: `${comparisonLine(comparison)}: worse than the baseline, within the failing band`,
      })),
  ];
  return warnings.length ? { warnings } : {};
}

/** The relative objectives against the baseline, and which run that was. */
async function compareWithBaseline(outcome: RunOutcome, metrics: Metrics) {
  const { setup } = outcome;
  const baseline =
    outcome.baseline === 'latest'
      ? await latestPassing(dirname(setup.dir), outcome.kind, setup.runId)
      : outcome.baseline === 'none'
        ? undefined
        : outcome.baseline;
  const comparisons = compareRun(
    outcome.relative,
    metrics,
    baseline ? (objective) => baselineValue(baseline.report, objective) : undefined,
  );
  return {
    comparisons,
    ...(baseline
      ? {
          baseline: {
            runId: baseline.report.runId,
            report: baseline.file,
            chosen: baseline.chosen,
            commit: baseline.report.git.sha,
          },
        }
      : {}),
  };
}

export async function assembleReport(outcome: RunOutcome): Promise<SimReport> {
  const { failure, images, setup } = outcome;
  const metrics = gateMetrics(outcome);
  const gate = failure ? { ok: false, thresholds: [] } : judge(metrics, outcome.thresholds);
  const compared = failure ? { comparisons: [] } : await compareWithBaseline(outcome, metrics);
  const regressed = compared.comparisons.some((comparison) => comparison.verdict === 'fail');
  const verdict = failure ? 'error' : gate.ok && !regressed ? 'pass' : 'fail';
  const references = images ? imageReferences(images) : { backend: '', frontend: '', proxy: '' };
  const settings = await stackSettings(rehearsalFile, outcome.env, {
    ...baseImages(outcome.env),
    ...setup.stackEnv,
    BACKEND_IMAGE: references.backend,
    FRONTEND_IMAGE: references.frontend,
    PROXY_IMAGE: references.proxy,
  });
  const thresholds = outcome.thresholds.map((t) => `${t.metric}=${t.expression}`);
  // Kubernetes: the chart's rehearsal values stand where the compose file does; the charts and the cluster's set-up are hashed too.
  const kubernetes = outcome.platform === 'kubernetes';
  const composeFile = kubernetes ? 'deploy/helm/todo/values-rehearsal.yaml' : rehearsalFile;
  const files = kubernetes
    ? await filesUnder(['deploy/helm/todo', 'deploy/helm/todo-data', 'deploy/kubernetes/local-cluster'])
    : undefined;
  const scenarios = outcome.scenarios?.records ?? [];
  const finishedAt = new Date();
  return {
    schemaVersion: 1,
    runId: setup.runId,
    startedAt: setup.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - setup.startedAt.getTime(),
    verdict,
    exitCode: verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 2,
    git: await gitInfo(),
    images: images ?? {},
    configHash: await configHash({
      composeFile,
      files,
      env: settings,
      images: images ?? {},
      baseImageIds: await baseImageIds(outcome.env),
      thresholds,
    }),
    config: { composeFile, ...(files ? { files } : {}), env: settings, thresholds },
    ...(await toolchain()),
    thresholds: gate.thresholds,
    runKind: outcome.kind,
    ...compared,
    ...warningsOf(scenarios, compared.comparisons),
    scenarios,
    services: outcome.services,
    phases: outcome.phases,
    load: outcome.load?.record ?? null,
    faults: outcome.load?.faults
      ? {
          ...outcome.load.faults.record,
          drills: drillVerdicts(outcome.load.faults.record, metrics, outcome.thresholds),
        }
      : null,
    ...(outcome.stack ? { stack: outcome.stack } : {}),
    platform: outcome.platform,
    ...(outcome.kubernetes ? { kubernetes: outcome.kubernetes } : {}),
    ...(failure ? { error: failure.detail } : {}),
    artefacts: artefacts(setup.dir, scenarios, outcome.load, Boolean(outcome.env.GATE_SIGNING_KEY)),
  };
}
