// Signed gate reports for the promotion tests: a copy of a real report,
// changed and signed again, and release B (the rehearsed backend with one
// setting changed, so no sign-up fits and the smoke fails) with its report.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseImages, configHash, imageId, signBytes } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { docker } from './docker.ts';

/** A copy of the report in dir/name, changed, and signed with `key`; its path. */
export async function signedVariant(input: {
  report: SimReport;
  dir: string;
  name: string;
  change: (report: SimReport) => void;
  key: string;
}): Promise<string> {
  const copy = structuredClone(input.report);
  input.change(copy);
  const folder = join(input.dir, input.name);
  const path = join(folder, 'report.json');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const bytes = Buffer.from(`${JSON.stringify(copy, null, 2)}\n`);
  await writeFile(path, bytes);
  await writeFile(`${path}.sig`, signBytes(bytes, input.key));
  return path;
}

export interface ReleaseB {
  id: string;
  reference: string;
}

/** Builds release B in `dir`: healthy, but no sign-up fits in 16 bytes, so the smoke fails. */
export async function buildReleaseB(report: SimReport, dir: string): Promise<ReleaseB> {
  const context = join(dir, 'release-b');
  await mkdir(context, { recursive: true });
  // BuildKit takes FROM sha256:… for a name to pull: the rehearsed image gets a local name first.
  const base = `todo-backend:release-b-base-${Date.now()}`;
  await docker('tag', report.images.backend?.id ?? '', base);
  await writeFile(
    join(context, 'Dockerfile'),
    `FROM ${base}\n# Healthy, but no sign-up fits in 16 bytes: the smoke fails.\nENV BODY_LIMIT_BYTES=16\n`,
  );
  const reference = `todo-backend:release-b-${Date.now()}`;
  await docker('build', '--quiet', '--tag', reference, context);
  await docker('rmi', base);
  const id = (await imageId(reference)) ?? '';
  if (!id || id === report.images.backend?.id) throw new Error(`building ${reference} made no new image`);
  return { id, reference };
}

/** The report of release B: B's image id and tag, its config hash recomputed, signed with `key`. */
export async function releaseBReport(input: {
  report: SimReport;
  releaseB: ReleaseB;
  dir: string;
  name: string;
  key: string;
}): Promise<string> {
  const { report, releaseB } = input;
  const images = {
    ...report.images,
    backend: { ...(report.images.backend ?? { repoDigests: [], built: true, buildMs: 0 }), ...releaseB },
  };
  const baseImageIds: Record<string, string | undefined> = {};
  for (const reference of Object.values(baseImages())) baseImageIds[reference] = await imageId(reference);
  const hash = await configHash({
    composeFile: report.config.composeFile,
    env: report.config.env,
    images,
    baseImageIds,
    thresholds: report.config.thresholds,
  });
  return signedVariant({
    report,
    dir: input.dir,
    name: input.name,
    key: input.key,
    change: (r) => {
      r.images = images;
      r.configHash = hash;
    },
  });
}
