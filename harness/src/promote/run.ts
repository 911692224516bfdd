// `npm run promote`: verify the report → push by digest → what is live → deploy
// the backend → the frontend's Build Output → deploy it → make it the
// environment's → smoke → check what serves. Any failure after the first
// deploy (or an interrupt) rolls back what this promotion changed; then the
// check (requests and the platforms' digests) says what serves.
import { findChromium } from '@todo/scenarios';
import { RunFailure } from '../errors/index.ts';
import { appImages } from '../images/index.ts';
import { Pipeline, type Phase } from '../pipeline/index.ts';
import { DigestMismatch } from '../registry/index.ts';
import { promotionConfig, PromotionMisconfigured, type PromotionConfig } from './config.ts';
import { describeCall, planCalls } from './plan.ts';
import { finishPromotion, newPromotionRecord, type Outcome, type PromotionRecord } from './record.ts';
import { servingPhase, type ReleaseIds } from './serving.ts';
import {
  backendPhase,
  buildOutputPhase,
  frontendPhase,
  livePhase,
  publishPhase,
  pushPhase,
  rollbackPhase,
  smokePhase,
  type Deployed,
  type Live,
} from './steps.ts';
import { DeployFailed, type Environment } from './targets/index.ts';
import { PromotionRefused, verifyReport, type VerifiedReport } from './verify.ts';

export interface PromoteOptions {
  reportPath: string;
  environment: Environment;
  dryRun: boolean;
  /** auto: the browser flow after the API scenarios when Chromium is found; off: API scenarios only. */
  browser: 'auto' | 'off';
  env: NodeJS.ProcessEnv;
  progress: NodeJS.WriteStream;
}

export interface PromoteResult {
  record: PromotionRecord;
  /** 0 promoted (or planned), 1 refused or rolled back, 2 could not run. */
  exitCode: 0 | 1 | 2;
  recordPath?: string;
}

export const verifyPhase: Phase<{ reportPath: string; env: NodeJS.ProcessEnv }, VerifiedReport> = {
  name: 'verify the report',
  run: ({ reportPath, env }) => verifyReport({ reportPath, env }),
  detail: (verified) =>
    `${verified.report.runId}, signed (${verified.verifiedWith}), commit ${verified.report.git.sha.slice(0, 12)}`,
};

class SmokeFailed extends Error {}

/** After the smoke passed, the platforms or the URL say something other than the new release. */
class NotServing extends Error {}

const digestOf = (reference: string | undefined) => /@(sha256:[0-9a-f]{64})$/.exec(reference ?? '')?.[1];

export async function runPromote(options: PromoteOptions): Promise<PromoteResult> {
  const startedAt = new Date();
  using pipeline = new Pipeline(options.progress, async () => undefined, {
    stopping: 'what this promotion changed goes back to the previous release',
    forcing: 'leaving the platforms as they are',
  });
  const record = newPromotionRecord({
    startedAt,
    environment: options.environment,
    reportPath: options.reportPath,
    steps: pipeline.records,
  });
  const finish = (outcome: Outcome, exitCode: 0 | 1 | 2, dir?: string): Promise<PromoteResult> =>
    finishPromotion({ record, outcome, exitCode, env: options.env, dir });

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
    record.plan = planCalls({ report, config, browser: options.browser, chromium: findChromium() });
    for (const call of record.plan) options.progress.write(`would, ${describeCall(call)}\n`);
    return await finish('planned', 0, dir);
  }

  let live: Live = { backend: undefined, frontend: undefined };
  const deployed: Deployed = {};
  /** The platforms were asked to change something: from then on, what serves is checked. */
  let touched = false;
  let url: string | undefined;
  const releases: { new: ReleaseIds; previous: ReleaseIds } = {
    new: { backend: undefined, frontend: undefined },
    previous: { backend: undefined, frontend: undefined },
  };
  const check = async () => {
    const { check: found, serving } = await pipeline.run(servingPhase, {
      backend: config.backend,
      frontend: config.frontend,
      url,
      releases,
    });
    record.check = found;
    record.serving = serving;
    return serving;
  };
  try {
    const pushed = await pipeline.run(pushPhase, {
      report,
      registry: config.registry,
      client: config.registryClient,
    });
    for (const name of appImages) Object.assign(record.chain[name] ?? {}, { pushed: pushed[name].reference });
    live = await pipeline.run(livePhase, { backend: config.backend, frontend: config.frontend });
    url = live.frontend?.url;
    releases.previous = { backend: digestOf(live.backend?.artefact), frontend: live.frontend?.id };
    releases.new.backend = pushed.backend.digest;
    record.targets.backend = { name: config.backend.name, previous: live.backend ?? null, deployed: null };
    record.targets.frontend = { name: config.frontend.name, previous: live.frontend ?? null, deployed: null };

    touched = true;
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
    releases.new.frontend = frontend.id;
    const published = await pipeline.run(publishPhase(options.environment), {
      target: config.frontend,
      release: frontend,
    });
    url = published.url;
    Object.assign(record.chain.frontend ?? {}, { serving: published.serving });

    const smoke = await pipeline.run(smokePhase, {
      url: published.url,
      browser: options.browser,
      artefactsDir: `${dir}/smoke`,
    });
    record.smoke = smoke;
    if (!smoke.ok)
      throw new SmokeFailed(
        `the smoke failed against ${published.url}: ${smoke.scenarios
          .filter((s) => !s.ok)
          .map((s) => `${s.name} (${s.error ?? ''})`)
          .join('; ')}`,
      );
    if ((await check()) !== 'new release') {
      throw new NotServing(
        `after the smoke, ${published.url} is not the new release: ${JSON.stringify(record.check)}`,
      );
    }
    return await finish('promoted', 0, dir);
  } catch (error) {
    const interrupted = pipeline.interrupts.happened();
    record.error =
      error instanceof RunFailure
        ? `${error.detail.step}: ${error.detail.message}`
        : (error as Error).message;
    if (deployed.backend || deployed.frontend) {
      options.progress.write(`\nrolling back: ${record.error}\n`);
      const outcome = await pipeline.run(rollbackPhase, {
        backend: config.backend,
        frontend: config.frontend,
        live,
        deployed,
      });
      record.rollback = { reason: interrupted ? 'interrupted' : record.error, ...outcome };
    }
    // Whatever happened, what serves now is what requests and the platforms say.
    if (touched) await check().catch(() => (record.serving = 'unknown'));
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
    return await finish(outcome, outcome === 'failed' ? 2 : 1, dir);
  }
}
