// What each of our images is built from, and the tag that names those inputs.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageId } from '../docker/index.ts';
import { repositoryFiles } from '../git/index.ts';
import { repoRoot } from '../paths.ts';
import { baseImages, type BaseImages, type BaseImageVariable } from './overrides.ts';

export type AppImage = 'backend' | 'frontend' | 'proxy';
export const appImages: readonly AppImage[] = ['backend', 'frontend', 'proxy'];

interface ImageRecipe {
  dockerfile: string;
  /** Path prefixes whose files are this image's inputs (with the Dockerfile and lockfile). */
  inputs: string[];
  /** Base images it is built from (build arguments of the same name). */
  bases: BaseImageVariable[];
}

const workspaceManifests = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'backend/package.json',
  'frontend/package.json',
  'harness/package.json',
  'scenarios/package.json',
  '.dockerignore',
];

export const recipes: Record<AppImage, ImageRecipe> = {
  backend: {
    dockerfile: 'backend/Dockerfile',
    inputs: [...workspaceManifests, 'backend/'],
    bases: ['NODE_IMAGE'],
  },
  frontend: {
    dockerfile: 'frontend/Dockerfile',
    inputs: [...workspaceManifests, 'frontend/'],
    bases: ['NODE_IMAGE', 'CADDY_IMAGE'],
  },
  proxy: { dockerfile: 'proxy/Dockerfile', inputs: ['proxy/', '.dockerignore'], bases: ['CADDY_IMAGE'] },
};

/** Files that are not inputs even inside an input folder (tests, benchmarks, results). */
const notInputs = [/\/node_modules\//, /\/dist\//, /\/bench\//, /\/test\//, /\.test\.tsx?$/, /\/tmp\//];

/** An image's input files: tracked and untracked (not ignored), tests and benchmarks left out. */
export async function inputFiles(image: AppImage): Promise<string[]> {
  const recipe = recipes[image];
  const files = await repositoryFiles([recipe.dockerfile, ...recipe.inputs]);
  return files.filter((file) => !notInputs.some((pattern) => pattern.test(`/${file}`)));
}

/**
 * The tag an image gets: a hash of its inputs (file names and contents) and of
 * the base images' ids, so the same sources on the same bases give the same tag
 * and anything else a new one.
 */
export async function imageTag(image: AppImage, bases: BaseImages = baseImages()): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await inputFiles(image)) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(repoRoot, file)).catch(() => Buffer.from('(deleted)')));
    hash.update('\0');
  }
  for (const base of recipes[image].bases) {
    hash.update(`${base}=${(await imageId(bases[base])) ?? bases[base]}\0`);
  }
  return `todo-${image}:${hash.digest('hex').slice(0, 16)}`;
}
