// `npm run promote`: verify the report → push by digest → what is live → deploy
// the backend → the frontend's Build Output → deploy it → make it production →
// smoke. Any failure after the first deploy (or an interrupt) rolls both
// platforms back to what was live before; promotion.json says what serves now.
import { RunFailure } from '../errors/index.ts';
import { appImages } from '../images/index.ts';
import { Pipeline, type Phase } from '../pipeline/index.ts';
import { DigestMismatch } from '../registry/index.ts';
import { promotionConfig, PromotionMisconfigured, type PromotionConfig } from './config.ts';
import { writePromotion, type Outcome, type PromotionRecord } from './record.ts';
import {
  backendPhase,
  buildOutputPhase,
  frontendPhase,
  livePhase,
  promoteFrontendPhase,
  pushPhase,
  smokePhase,
  type Live,
} from './steps.ts';
import { DeployFailed, type Release } from './targets/target.ts';
import { PromotionRefused, verifyReport, type VerifiedReport } from './verify.ts';

export interface PromoteOptions {
  reportPath: string;
  environment: string;
  dryRun: boolean;
  /** Run the browser flow in the smoke too (it spends more sign-ins from this address). */
  browserSmoke: boolean;
  env: NodeJS.ProcessEnv;
  progress: NodeJS.WriteStream;
}

export interface PromoteResult {
  record: PromotionRecord;
  /** 0 promoted (or planned), 1 refused or rolled back, 2 could not run. */
  exitCode: 0 | 1 | 2;
  recordPath?: string;
}

const verifyPhase: Phase<{ reportPath: string; env: NodeJS.ProcessEnv }, VerifiedReport> = {
  name: 'verify the report',
  run: ({ reportPath, env }) => verifyReport({ reportPath, env }),
  detail: (verified) =>
    `${verified.report.runId}, signed (${verified.verifiedWith}), commit ${verified.report.git.sha.slice(0, 12)}`,
};

class SmokeFailed extends Error {}

/** Back to what was live; each side says what happened to it. */
async function rollBack(
  config: PromotionConfig,
  live: Live,
  deployed: { backend?: Release; frontend?: Release },
  output: (line: string) => void,
) {
  const side = async (
    target: { rollback(to: Release, progress: (line: string) => void): Promise<void> },
    before: Release | undefined,
    after: Release | undefined,
  ) => {
    if (!after) return 'unchanged';
    if (!before) return 'no earlier release to go back to: the new one stays';
    try {
      await target.rollback(before, output);
      return `back on ${before.id}`;
    } catch (error) {
      return `FAILED: ${(error as Error).message}`;
    }
  };
  // The frontend first: users stop reaching the new backend through it.
  const frontend = await side(config.frontend, live.frontend, deployed.frontend);
  const backend = await side(config.backend, live.backend, deployed.backend);
  return { backend, frontend };
}

export async function runPromote(options: PromoteOptions): Promise<PromoteResult> {
  const startedAt = new Date();
  using pipeline = new Pipeline(options.progress, async () => undefined, {
    stopping: 'what this promotion changed goes back to the previous release',
    forcing: 'leaving the platforms as they are',
  });
  const record: PromotionRecord = {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationMs: 0,
    environment: options.environment,
    report: { path: options.reportPath },
    outcome: 'failed',
    serving: 'nothing changed',
    chain: {},
    targets: {},
    smoke: null,
    rollback: null,
    steps: pipeline.records,
  };
  const finish = async (outcome: Outcome, exitCode: 0 | 1 | 2, dir?: string): Promise<PromoteResult> => {
    record.outcome = outcome;
    record.finishedAt = new Date().toISOString();
    record.durationMs = Date.now() - startedAt.getTime();
    const recordPath = dir
      ? await writePromotion(dir, record, options.env).catch(() => undefined)
      : undefined;
    return { record, exitCode, ...(recordPath ? { recordPath } : {}) };
  };

  let verified: VerifiedReport;
  let config: PromotionConfig;
  try {
    verified = await pipeline.run(verifyPhase, { reportPath: options.reportPath, env: options.env });
    config = promotionConfig(options.env, options.environment);
  } catch (error) {
    record.error = (error as Error).message;
    const refused = error instanceof PromotionRefused;
    return await finish(refused ? 'refused' : 'failed', refused ? 1 : 2);
  }
  const { report, dir } = verified;
  record.report = {
    path: options.reportPath,
    runId: report.runId,
    gitSha: report.git.sha,
    verifiedWith: verified.verifiedWith,
  };
  for (const name of appImages) record.chain[name] = { imageId: report.images[name]?.id ?? '' };

  if (options.dryRun) {
    const example = `${config.registry}/todo-backend@sha256:<pushed digest>`;
    record.plan = [
      ...appImages.map(
        (name) =>
          `docker push ${config.registry}/todo-${name}:${report.images[name]?.reference.split(':')[1] ?? ''}, then GET /v2/…/manifests/<tag> and /v2/…/manifests/<digest> on ${config.registry.split('/')[0] ?? ''} (its configuration must be ${report.images[name]?.id ?? ''})`,
      ),
      ...config.backend.plan(example),
      `write the Build Output of ${report.images.frontend?.reference ?? ''} with /api/* rewritten to the backend's URL`,
      ...config.frontend.plan({ outputDir: '<build output>', backendUrl: '<backend url>' }),
      `the smoke scenarios against the production URL${options.browserSmoke ? ', then the browser flow' : ''}`,
    ];
    for (const call of record.plan) options.progress.write(`would: ${call}\n`);
    return await finish('planned', 0, dir);
  }

  let live: Live = { backend: undefined, frontend: undefined };
  const deployed: { backend?: Release; frontend?: Release } = {};
  try {
    const pushed = await pipeline.run(pushPhase, {
      report,
      registry: config.registry,
      client: config.registryClient,
    });
    for (const name of appImages) Object.assign(record.chain[name] ?? {}, { pushed: pushed[name].reference });
    live = await pipeline.run(livePhase, { backend: config.backend, frontend: config.frontend });
    record.targets.backend = { name: config.backend.name, previous: live.backend ?? null, deployed: null };
    record.targets.frontend = { name: config.frontend.name, previous: live.frontend ?? null, deployed: null };
    record.serving = 'previous release';

    const backend = await pipeline
      .run(backendPhase, { target: config.backend, image: pushed.backend })
      .catch((error: unknown) => {
        if (error instanceof DeployFailed && error.release && record.targets.backend)
          record.targets.backend.deployed = error.release;
        throw error;
      });
    deployed.backend = backend.release;
    record.targets.backend.deployed = backend.release;
    Object.assign(record.chain.backend ?? {}, { serving: backend.serving });
    record.serving = 'unknown';
    if (backend.serving !== pushed.backend.digest) {
      throw new DigestMismatch(
        `${config.backend.name} reports serving ${backend.serving}, but ${pushed.backend.digest} was deployed`,
      );
    }

    const output = await pipeline.run(buildOutputPhase, {
      frontendImage: report.images.frontend?.reference ?? '',
      backendUrl: backend.release.url,
    });
    Object.assign(record.chain.frontend ?? {}, { buildOutput: output.digest });
    const frontend = await pipeline.run(frontendPhase, {
      target: config.frontend,
      outputDir: output.dir,
      backendUrl: backend.release.url,
    });
    deployed.frontend = frontend;
    record.targets.frontend.deployed = frontend;
    const production = await pipeline.run(promoteFrontendPhase, {
      target: config.frontend,
      release: frontend,
    });
    Object.assign(record.chain.frontend ?? {}, { serving: production.serving });

    const smoke = await pipeline.run(smokePhase, {
      url: production.url,
      browser: options.browserSmoke,
      artefactsDir: `${dir}/smoke`,
    });
    record.smoke = smoke;
    if (!smoke.ok)
      throw new SmokeFailed(
        `the smoke failed against ${production.url}: ${smoke.scenarios
          .filter((s) => !s.ok)
          .map((s) => `${s.name} (${s.error ?? ''})`)
          .join('; ')}`,
      );
    record.serving = 'new release';
    return await finish('promoted', 0, dir);
  } catch (error) {
    const interrupted = pipeline.interrupts.happened();
    record.error =
      error instanceof RunFailure
        ? `${error.detail.step}: ${error.detail.message}`
        : (error as Error).message;
    if (deployed.backend || deployed.frontend) {
      options.progress.write(`\nrolling back: ${record.error}\n`);
      const outcome = await rollBack(config, live, deployed, (line) => options.progress.write(`  ${line}\n`));
      record.rollback = { reason: interrupted ? 'interrupted' : record.error, ...outcome };
      const clean = !outcome.backend.startsWith('FAILED') && !outcome.frontend.startsWith('FAILED');
      record.serving = clean ? 'previous release' : 'unknown';
    }
    const refused = error instanceof DigestMismatch || error instanceof PromotionMisconfigured;
    const outcome: Outcome = interrupted
      ? 'interrupted'
      : record.rollback
        ? 'rolled back'
        : error instanceof DeployFailed
          ? 'deploy failed'
          : refused
            ? 'refused'
            : 'failed';
    // A deployment that never became healthy took no traffic: the release before still serves.
    if (outcome === 'deploy failed') record.serving = 'previous release';
    return await finish(outcome, outcome === 'failed' ? 2 : 1, dir);
  }
}
