// `npm run promote -- --target kubernetes`: verify the report → the images into
// the cluster (the local one: loaded by image id, no registry; any other: pushed
// to PROMOTE_REGISTRY by digest) → what is live (Helm's deployed revision) →
// helm upgrade --wait with both digests → the pods run exactly them → smoke
// through the ingress → check what serves. Any failure after the upgrade was
// asked for (or an interrupt) rolls back to the revision that was live.
import { findChromium } from '@todo/scenarios';
import { RunFailure } from '../errors/index.ts';
import { appImages, type AppImage } from '../images/index.ts';
import { appRelease, loadIntoLocalCluster } from '../kubernetes/index.ts';
import { Pipeline, type Phase } from '../pipeline/index.ts';
import { DigestMismatch } from '../registry/index.ts';
import type { SimReport } from '../report/index.ts';
import { resolveWhere, type KubernetesPromoteOptions, type Where } from './kubernetes-where.ts';
import { finishPromotion, newPromotionRecord, type Outcome } from './record.ts';
import type { PromoteResult } from './run.ts';
import { verifyPhase } from './run.ts';
import { servingPhase, type ReleaseIds, type ServingSource } from './serving.ts';
import { pushPhase, smokePhase } from './steps.ts';
import { artefactDigests, DeployFailed, type KubernetesTarget, type Release } from './targets/index.ts';
import { PromotionRefused, type VerifiedReport } from './verify.ts';

class SmokeFailed extends Error {}
class NotServing extends Error {}

type Images = Record<'backend' | 'frontend', { reference: string; digest: string }>;

const loadPhase: Phase<{ report: SimReport; env: NodeJS.ProcessEnv }, Images> = {
  name: 'load into the cluster',
  async run({ report, env }, output) {
    const wanted = (name: AppImage) => {
      const image = report.images[name];
      if (!image) throw new DigestMismatch(`the report names no ${name} image`);
      return { reference: image.reference, id: image.id };
    };
    // loadIntoLocalCluster refuses unless the cluster holds exactly the report's image ids.
    const loaded = await loadIntoLocalCluster(
      { backend: wanted('backend'), frontend: wanted('frontend') },
      output,
      env,
    );
    const as = (name: 'backend' | 'frontend') => {
      const image = loaded[name];
      if (!image) throw new DigestMismatch(`${name} was not loaded into the cluster`);
      return { reference: `${image.repository}@${image.digest}`, digest: image.digest };
    };
    return { backend: as('backend'), frontend: as('frontend') };
  },
  detail: (images) =>
    `backend@${images.backend.digest.slice(7, 19)}, frontend@${images.frontend.digest.slice(7, 19)}`,
};

const livePhase: Phase<KubernetesTarget, Release | undefined> = {
  name: 'what is live',
  run: (target) => target.current(),
  detail: (release) => (release ? `${release.id}: ${release.artefact}` : 'none yet'),
};

const deployPhase: Phase<
  { target: KubernetesTarget; images: Images },
  { release: Release; backend: string | undefined; frontend: string | undefined }
> = {
  name: 'helm upgrade',
  // A Helm upgrade is not cut short: an interrupt is handled once it has ended.
  stopsOnInterrupt: true,
  async run({ target, images }, output) {
    const release = await target.deploy(
      { backend: images.backend.reference, frontend: images.frontend.reference },
      output,
    );
    return {
      release,
      backend: await target.servingImage('backend'),
      frontend: await target.servingImage('frontend'),
    };
  },
  detail: ({ release }) => `${release.id} at ${release.url}`,
};

const rollbackPhase: Phase<{ target: KubernetesTarget; previous: Release }, string> = {
  name: 'roll back',
  stopsOnInterrupt: true,
  async run({ target, previous }, output) {
    try {
      await target.rollback(previous, output);
      return `back on ${previous.id}`;
    } catch (error) {
      return `FAILED: ${(error as Error).message}`;
    }
  },
  detail: (said) => said,
};

const digestsOf = (artefact: string | undefined): ReleaseIds => {
  const { backend, frontend } = artefactDigests(artefact);
  return { backend, frontend };
};

export async function runKubernetesPromote(options: KubernetesPromoteOptions): Promise<PromoteResult> {
  using pipeline = new Pipeline(options.progress, async () => undefined, {
    stopping: 'the Helm release goes back to the revision that was live',
    forcing: 'leaving the Helm release as it is',
  });
  const record = newPromotionRecord({
    startedAt: new Date(),
    environment: options.environment,
    reportPath: options.reportPath,
    steps: pipeline.records,
  });
  const finish = (outcome: Outcome, exitCode: 0 | 1 | 2, dir?: string): Promise<PromoteResult> =>
    finishPromotion({ record, outcome, exitCode, env: options.env, dir });

  let verified: VerifiedReport;
  let where: Where;
  try {
    verified = await pipeline.run(verifyPhase, { reportPath: options.reportPath, env: options.env });
    where = await resolveWhere(options);
  } catch (error) {
    record.error = (error as Error).message;
    const refused = error instanceof PromotionRefused;
    return await finish(refused ? 'refused' : 'failed', refused ? 1 : 2);
  }
  const { report, dir } = verified;
  const { target } = where;
  record.report = {
    path: options.reportPath,
    runId: report.runId,
    gitSha: report.git.sha,
    verifiedWith: verified.verifiedWith,
  };
  record.kubernetes = {
    cluster: where.kube.describe(),
    namespace: where.namespace,
    release: appRelease,
    images: where.local ? 'loaded' : 'pushed',
  };
  for (const name of appImages) record.chain[name] = { imageId: report.images[name]?.id ?? '' };

  if (options.dryRun) {
    const artefact = {
      backend: `${where.local ? 'docker.io/library/todo-backend' : `${where.registry?.name ?? ''}/todo-backend`}@sha256:<its digest>`,
      frontend: `${where.local ? 'docker.io/library/todo-frontend' : `${where.registry?.name ?? ''}/todo-frontend`}@sha256:<its digest>`,
    };
    const calls = target.plan(artefact);
    const images = where.local
      ? [
          `docker save | ctr images import: ${appImages
            .filter((n) => n !== 'proxy')
            .map((n) => report.images[n]?.id ?? '')
            .join(', ')} into the local cluster's containerd, named by digest`,
        ]
      : [
          `docker push to ${where.registry?.name ?? ''} and the manifests read back: their configurations must be the report's image ids`,
        ];
    const chromium = findChromium();
    const steps: [string, string[], true?][] = [
      [where.local ? 'load into the cluster' : 'push by digest', images],
      ['what is live', calls.current],
      ['helm upgrade', [...calls.deploy, ...calls.serving]],
      [
        'smoke',
        [
          `requests of the API scenarios to ${where.url}`,
          ...(options.browser === 'off'
            ? []
            : [
                chromium
                  ? `the browser flow in Chromium (${chromium}) against ${where.url}`
                  : 'the browser flow: skipped, Chromium is not installed here',
              ]),
        ],
      ],
      ['check what serves', [...calls.serving, `GET ${where.url}/ and ${where.url}/api/tasks`]],
      ['roll back', calls.rollback, true],
    ];
    record.plan = steps.flatMap(([step, list, onFailure]) =>
      list.map((call) => ({ step, call, ...(onFailure ? { onFailure } : {}) })),
    );
    for (const call of record.plan)
      options.progress.write(`would, ${call.onFailure ? 'on failure, ' : ''}${call.step}: ${call.call}\n`);
    return await finish('planned', 0, dir);
  }

  let previous: Release | undefined;
  let asked = false;
  const releases: { new: ReleaseIds; previous: ReleaseIds } = {
    new: { backend: undefined, frontend: undefined },
    previous: { backend: undefined, frontend: undefined },
  };
  const side = (component: 'backend' | 'frontend'): ServingSource => ({
    name: `kubernetes ${component} pods`,
    serving: () => target.servingImage(component),
  });
  const check = async () => {
    const { check: found, serving } = await pipeline.run(servingPhase, {
      backend: side('backend'),
      frontend: side('frontend'),
      url: where.url,
      releases,
      fetch: where.fetch,
    });
    record.check = found;
    record.serving = serving;
    return serving;
  };
  try {
    const images: Images = where.registry
      ? await pipeline
          .run(pushPhase, { report, registry: where.registry.name, client: where.registry.client })
          .then((pushed) => ({ backend: pushed.backend, frontend: pushed.frontend }))
      : await pipeline.run(loadPhase, { report, env: options.env });
    for (const name of ['backend', 'frontend'] as const)
      Object.assign(record.chain[name] ?? {}, { pushed: images[name].reference });
    previous = await pipeline.run(livePhase, target);
    releases.previous = digestsOf(previous?.artefact);
    releases.new = { backend: images.backend.digest, frontend: images.frontend.digest };
    record.targets.backend = { name: 'kubernetes', previous: previous ?? null, deployed: null };

    asked = true;
    const deployed = await pipeline.run(deployPhase, { target, images }).catch((error: unknown) => {
      if (error instanceof DeployFailed && error.release && record.targets.backend)
        record.targets.backend.deployed = error.release;
      throw error;
    });
    record.targets.backend.deployed = deployed.release;
    Object.assign(record.chain.backend ?? {}, { serving: deployed.backend });
    Object.assign(record.chain.frontend ?? {}, { serving: deployed.frontend });
    for (const name of ['backend', 'frontend'] as const) {
      if (deployed[name] !== images[name].digest)
        throw new DigestMismatch(
          `the ${name} pods run ${deployed[name] ?? 'nothing'}, but ${images[name].digest} was deployed`,
        );
    }

    const smoke = await pipeline.run(smokePhase, {
      url: where.url,
      browser: options.browser,
      artefactsDir: `${dir}/smoke`,
      fetch: where.fetch,
    });
    record.smoke = smoke;
    if (!smoke.ok)
      throw new SmokeFailed(
        `the smoke failed against ${where.url}: ${smoke.scenarios
          .filter((s) => !s.ok)
          .map((s) => `${s.name} (${s.error ?? ''})`)
          .join('; ')}`,
      );
    if ((await check()) !== 'new release')
      throw new NotServing(
        `after the smoke, ${where.url} is not the new release: ${JSON.stringify(record.check)}`,
      );
    return await finish('promoted', 0, dir);
  } catch (error) {
    const interrupted = pipeline.interrupts.happened();
    record.error =
      error instanceof RunFailure
        ? `${error.detail.step}: ${error.detail.message}`
        : (error as Error).message;
    if (asked && previous) {
      options.progress.write(`\nrolling back: ${record.error}\n`);
      const said = await pipeline.run(rollbackPhase, { target, previous });
      record.rollback = { reason: interrupted ? 'interrupted' : record.error, backend: said, frontend: said };
    } else if (asked) {
      options.progress.write(`\nno earlier release to go back to: the new one stays (${record.error})\n`);
    }
    // Whatever happened, what serves now is what the pods and requests say.
    if (asked) await check().catch(() => (record.serving = 'unknown'));
    const outcome: Outcome = interrupted
      ? 'interrupted'
      : record.rollback
        ? 'rolled back'
        : error instanceof DeployFailed
          ? 'deploy failed'
          : error instanceof DigestMismatch
            ? 'refused'
            : 'failed';
    return await finish(outcome, outcome === 'failed' ? 2 : 1, dir);
  }
}
