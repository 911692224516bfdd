// Puts a finished (or failed) run together as the gate report.
import { baseImages, imageId } from '../images/index.ts';
import { judge, type Metrics, type Threshold } from '../gate/index.ts';
import type { LoadRecord, PhaseRecord, ScenarioRecord, ServiceRecord, SimReport } from '../report/index.ts';
import type { RunFailure } from './failure.ts';
import { imageReferences, type SimImages } from './phases.ts';
import { configHash, gitInfo, stackSettings } from './provenance.ts';

export interface RunOutcome {
  runId: string;
  startedAt: Date;
  dir: string;
  composeFile: string;
  /** The variables the run set for the stack itself. */
  ownSettings: Record<string, string>;
  env: NodeJS.ProcessEnv;
  thresholds: Threshold[];
  metrics: Metrics;
  images: SimImages;
  scenarios: ScenarioRecord[];
  load: LoadRecord | null;
  services: ServiceRecord[];
  phases: PhaseRecord[];
  stack?: { projectName: string; baseUrl: string; kept: boolean };
  failure?: RunFailure;
}

/** Postgres, Redis, Node and Caddy by reference, with the ids they have here. */
async function baseImageIds(env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  const ids: Record<string, string | undefined> = {};
  for (const reference of Object.values(baseImages(env))) ids[reference] = await imageId(reference);
  return ids;
}

export async function assembleReport(outcome: RunOutcome): Promise<SimReport> {
  const { failure, images, dir } = outcome;
  const gate = failure ? { ok: false, thresholds: [] } : judge(outcome.metrics, outcome.thresholds);
  const verdict = failure ? 'error' : gate.ok ? 'pass' : 'fail';
  const references = imageReferences(images);
  const settings = await stackSettings(outcome.composeFile, outcome.env, {
    ...baseImages(outcome.env),
    ...outcome.ownSettings,
    BACKEND_IMAGE: references.backend,
    FRONTEND_IMAGE: references.frontend,
    PROXY_IMAGE: references.proxy,
  });
  const thresholds = outcome.thresholds.map((t) => `${t.metric}=${t.expression}`);
  const finishedAt = new Date();
  return {
    schemaVersion: 1,
    runId: outcome.runId,
    startedAt: outcome.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - outcome.startedAt.getTime(),
    verdict,
    exitCode: verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 2,
    git: await gitInfo(),
    images,
    configHash: await configHash({
      composeFile: outcome.composeFile,
      env: settings,
      images,
      baseImageIds: await baseImageIds(outcome.env),
      thresholds,
    }),
    config: { composeFile: outcome.composeFile, env: settings, thresholds },
    thresholds: gate.thresholds,
    scenarios: outcome.scenarios,
    services: outcome.services,
    phases: outcome.phases,
    load: outcome.load,
    ...(outcome.stack ? { stack: outcome.stack } : {}),
    ...(failure ? { error: failure.detail } : {}),
    artefacts: {
      dir,
      json: `${dir}/report.json`,
      markdown: `${dir}/report.md`,
      junit: `${dir}/junit.xml`,
      ...(outcome.scenarios.some((s) => s.kind === 'browser' && !s.skipped)
        ? { browser: `${dir}/browser-flow` }
        : {}),
      ...(outcome.load ? { load: `${dir}/load`, dashboard: `${dir}/${outcome.load.files.dashboard}` } : {}),
    },
  };
}
