// The steps of a promotion, each a typed phase: push by digest, read what is
// live, deploy the backend, build and deploy the frontend, make it the
// environment's, smoke-test it, and (when anything fails) roll back.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smokeScenarioNames } from '@todo/scenarios';
import { writeVercelOutput } from '../deploy/index.ts';
import { appImages, type AppImage } from '../images/index.ts';
import { repoRoot } from '../paths.ts';
import type { Phase } from '../pipeline/index.ts';
import { DigestMismatch, pushByDigest, type PushedImage, type RegistryClient } from '../registry/index.ts';
import type { ScenarioRecord, SimReport } from '../report/index.ts';
import { browserScenario, describeScenarios, runScenarioRecords } from '../sim/index.ts';
import type { PromoteFetch } from './serving.ts';
import {
  outputDigest,
  outputFiles,
  type BackendTarget,
  type Environment,
  type FrontendTarget,
  type Release,
} from './targets/index.ts';

export const pushPhase: Phase<
  { report: SimReport; registry: string; client: RegistryClient },
  Record<AppImage, PushedImage>
> = {
  name: 'push by digest',
  async run({ report, registry, client }, output) {
    const pushed: Partial<Record<AppImage, PushedImage>> = {};
    for (const name of appImages) {
      const image = report.images[name];
      if (!image) throw new DigestMismatch(`the report names no ${name} image`);
      output(`${name}: pushing ${image.reference}`);
      pushed[name] = await pushByDigest({
        local: image.reference,
        expectedId: image.id,
        registry,
        client,
        onLine: (line) => {
          output(`${name}: ${line.slice(0, 120)}`);
        },
      });
    }
    const { backend, frontend, proxy } = pushed;
    if (!backend || !frontend || !proxy) throw new DigestMismatch('not every image was pushed');
    return { backend, frontend, proxy };
  },
  detail: (pushed) => appImages.map((name) => `${name}@${pushed[name].digest.slice(7, 19)}`).join(', '),
};

export interface Live {
  backend: Release | undefined;
  frontend: Release | undefined;
}

export const livePhase: Phase<{ backend: BackendTarget; frontend: FrontendTarget }, Live> = {
  name: 'what is live',
  run: async ({ backend, frontend }) => ({
    backend: await backend.current(),
    frontend: await frontend.current(),
  }),
  detail: ({ backend, frontend }) =>
    `backend ${backend?.id ?? 'none yet'}, frontend ${frontend?.id ?? 'none yet'}`,
};

export const backendPhase: Phase<
  { target: BackendTarget; image: PushedImage },
  { release: Release; serving: string }
> = {
  name: 'deploy the backend',
  // A platform deployment is not cut short: an interrupt is handled once it has ended.
  stopsOnInterrupt: true,
  async run({ target, image }, output) {
    const release = await target.deploy(image.reference, output);
    return { release, serving: (await target.serving()) ?? 'nothing' };
  },
  detail: ({ release }) => `${release.id} live at ${release.url}`,
};

export const buildOutputPhase: Phase<
  { frontendImage: string; backendUrl: string },
  { dir: string; digest: string; files: number }
> = {
  name: 'frontend build output',
  async run({ frontendImage, backendUrl }) {
    const dir = join(await mkdtemp(join(tmpdir(), 'promote-vercel-')), 'output');
    // The frontend image's own files, byte for byte what the rehearsal served.
    await writeVercelOutput({
      image: frontendImage,
      backendUrl,
      outDir: dir,
      caddyfile: join(repoRoot, 'frontend/Caddyfile'),
    });
    const files = await outputFiles(dir);
    return { dir, digest: outputDigest(files), files: files.length };
  },
  detail: ({ files, digest }) => `${files} files (${digest.slice(0, 19)}…)`,
};

export const frontendPhase: Phase<
  { target: FrontendTarget; outputDir: string; backendUrl: string },
  Release
> = {
  name: 'deploy the frontend',
  stopsOnInterrupt: true,
  run: ({ target, outputDir, backendUrl }, output) => target.deploy({ outputDir, backendUrl }, output),
  detail: (release) => `${release.id} ready at ${release.url}`,
};

/** Production: promote it (the project's domains move to it); staging: alias the staging domain to it. */
export const publishPhase = (
  environment: Environment,
): Phase<{ target: FrontendTarget; release: Release }, { url: string; serving: string }> => ({
  name: `make it ${environment}`,
  stopsOnInterrupt: true,
  async run({ target, release }, output) {
    await target.promote(release, output);
    const live = await target.current();
    return { url: live?.url ?? release.url, serving: live?.id ?? 'nothing' };
  },
  detail: ({ url }) => url,
});

export const smokePhase: Phase<
  { url: string; browser: 'auto' | 'off'; artefactsDir: string; fetch?: PromoteFetch },
  { ok: boolean; scenarios: ScenarioRecord[] }
> = {
  name: 'smoke',
  async run({ url, browser, artefactsDir, fetch: fetcher }, output) {
    const { records } = await runScenarioRecords(
      {
        baseUrl: url,
        fetch: fetcher ?? ((input, init) => fetch(input, init)),
        artefactsDir,
        browser: 'off',
        signInFailuresMax: 5,
        only: smokeScenarioNames,
      },
      output,
    );
    const api = records.filter((r) => r.kind === 'api');
    // A release the API scenarios failed is rolled back at once, not after a browser run.
    const flow = api.every((s) => s.ok)
      ? await browserScenario({ baseUrl: url, artefactsDir, browser }, output)
      : undefined;
    const scenarios = flow ? [...api, flow] : api;
    return { ok: scenarios.every((s) => s.ok), scenarios };
  },
  detail: ({ scenarios }) => describeScenarios(scenarios),
};

export interface Deployed {
  backend?: Release;
  frontend?: Release;
}

/**
 * Back to what was live, the frontend first (users stop reaching the new
 * backend through it); only a side this promotion changed. Each side says what
 * happened to it; whether the previous release serves is the check's to say.
 */
export const rollbackPhase: Phase<
  { backend: BackendTarget; frontend: FrontendTarget; live: Live; deployed: Deployed },
  { backend: string; frontend: string }
> = {
  name: 'roll back',
  stopsOnInterrupt: true,
  async run({ backend, frontend, live, deployed }, output) {
    const side = async (
      target: BackendTarget | FrontendTarget,
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
    return {
      frontend: await side(frontend, live.frontend, deployed.frontend),
      backend: await side(backend, live.backend, deployed.backend),
    };
  },
  detail: ({ backend, frontend }) => `backend ${backend}, frontend ${frontend}`,
};
