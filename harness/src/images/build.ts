import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../paths.ts';
import { baseImages, type BaseImages, type BaseImageVariable } from './overrides.ts';

const run = promisify(execFile);

export type AppImage = 'backend' | 'frontend' | 'proxy';

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

/** Tracked and untracked (not ignored) files of the repository under these prefixes. */
async function inputFiles(prefixes: string[]): Promise<string[]> {
  const { stdout } = await run(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...prefixes],
    {
      cwd: repoRoot,
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  return [...new Set(stdout.split('\n').filter(Boolean))]
    .filter((file) => !notInputs.some((pattern) => pattern.test(`/${file}`)))
    .sort();
}

/** The id (sha256 of the configuration) of a local image, or undefined when it is not here. */
export async function imageId(reference: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', reference]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tag an image gets: a hash of its inputs (file names and contents) and of
 * the base images' ids, so the same sources on the same bases give the same tag
 * and anything else a new one.
 */
export async function imageTag(image: AppImage, bases: BaseImages = baseImages()): Promise<string> {
  const recipe = recipes[image];
  const hash = createHash('sha256');
  for (const file of await inputFiles([recipe.dockerfile, ...recipe.inputs])) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(repoRoot, file)).catch(() => Buffer.from('(deleted)')));
    hash.update('\0');
  }
  for (const base of recipe.bases) hash.update(`${base}=${(await imageId(bases[base])) ?? bases[base]}\0`);
  return `todo-${image}:${hash.digest('hex').slice(0, 16)}`;
}

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
  /** Ignore docker's layer cache too: a cold build. */
  noCache?: boolean;
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
  const git = async (...args: string[]) =>
    (await run('git', args, { cwd: repoRoot }).catch(() => ({ stdout: '' }))).stdout.trim();
  const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    REVISION: options.revision ?? (await git('rev-parse', 'HEAD')),
    VERSION: options.version ?? version,
    SOURCE: await git('config', '--get', 'remote.origin.url'),
  };
}

/** Builds one image with the classic builder (no BuildKit needed), unless its tag already exists. */
export async function buildImage(image: AppImage, options: BuildOptions = {}): Promise<BuiltImage> {
  const bases = options.bases ?? baseImages();
  const tag = await imageTag(image, bases);
  const existing = options.force || options.noCache ? undefined : await imageId(tag);
  if (existing) return { image, tag, id: existing, built: false, buildMs: 0 };
  const recipe = recipes[image];
  const args = ['build', '-f', recipe.dockerfile, '-t', tag, ...(options.noCache ? ['--no-cache'] : [])];
  for (const base of recipe.bases) args.push('--build-arg', `${base}=${bases[base]}`);
  const labels = await labelValues(options);
  for (const [name, value] of Object.entries(labels)) if (value) args.push('--build-arg', `${name}=${value}`);
  args.push('.');
  const started = performance.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('docker', args, { cwd: repoRoot, env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        options.onOutput?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new Error(
      `building the ${image} image failed (docker build exit ${code}); last lines:\n${output.slice(-15).join('\n')}`,
    );
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
