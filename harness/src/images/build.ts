import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage as dockerBuild, imageId, type BuilderChoice } from '../docker/index.ts';
import { git } from '../git/index.ts';
import { repoRoot } from '../paths.ts';
import { baseImages, type BaseImages } from './overrides.ts';
import { imageTag, recipes, type AppImage } from './recipes.ts';

export interface BuiltImage {
  image: AppImage;
  /** todo-backend:<hash of inputs> */
  tag: string;
  /** sha256:… of the image configuration (what a registry push keeps as the digest's subject). */
  id: string;
  /** Whether this call built it (false: the tag already existed). */
  built: boolean;
  buildMs: number;
}

export interface BuildOptions {
  bases?: BaseImages;
  /** Build even when the tag exists (docker's own layer cache still applies). */
  force?: boolean;
  /** Ignore docker's layer cache too: a cold build (BuildKit's cache mounts stay). */
  noCache?: boolean;
  /** Default: SIM_BUILDER, else BuildKit when buildx answers. */
  builder?: BuilderChoice;
  /** OCI labels; default the git commit and package.json's version. */
  revision?: string;
  version?: string;
  /** Build output, line by line. */
  onOutput?: (line: string) => void;
}

/** OCI label values: the commit, the version, where the source lives (when git knows). */
async function labelValues(
  options: BuildOptions,
): Promise<Record<'REVISION' | 'VERSION' | 'SOURCE', string>> {
  const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    REVISION: options.revision ?? (await git('rev-parse', 'HEAD')),
    VERSION: options.version ?? version,
    SOURCE: await git('config', '--get', 'remote.origin.url'),
  };
}

/** Builds one image (BuildKit, or the classic builder without buildx), unless its tag already exists. */
export async function buildImage(image: AppImage, options: BuildOptions = {}): Promise<BuiltImage> {
  const bases = options.bases ?? baseImages();
  const tag = await imageTag(image, bases);
  const existing = options.force || options.noCache ? undefined : await imageId(tag);
  if (existing) return { image, tag, id: existing, built: false, buildMs: 0 };
  const recipe = recipes[image];
  const buildArgs: Record<string, string> = {};
  for (const base of recipe.bases) buildArgs[base] = bases[base];
  for (const [name, value] of Object.entries(await labelValues(options))) if (value) buildArgs[name] = value;
  const started = performance.now();
  try {
    await dockerBuild({
      dockerfile: recipe.dockerfile,
      tag,
      buildArgs,
      ...(options.noCache ? { noCache: true } : {}),
      ...(options.builder ? { builder: options.builder } : {}),
      ...(options.onOutput ? { onLine: options.onOutput } : {}),
    });
  } catch (error) {
    throw new Error(`building the ${image} image failed: ${(error as Error).message}`, { cause: error });
  }
  const id = await imageId(tag);
  if (!id) throw new Error(`docker build said it built ${tag}, but the image is not there`);
  return { image, tag, id, built: true, buildMs: Math.round(performance.now() - started) };
}

/** The three images, built one after another (two cores: parallel builds only contend). */
export async function buildAppImages(options: BuildOptions = {}): Promise<Record<AppImage, BuiltImage>> {
  const backend = await buildImage('backend', options);
  const frontend = await buildImage('frontend', options);
  const proxy = await buildImage('proxy', options);
  return { backend, frontend, proxy };
}
