// Images: what is here (ids, digests, sizes), builds, and files taken out of one.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { repoRoot } from '../paths.ts';
import { docker, dockerStreaming } from './cli.ts';
import { engine } from './engine.ts';

interface ImageFacts {
  /** sha256 of the image's configuration. */
  id: string;
  /** repo@sha256:… of each registry it was pushed to or pulled from. */
  repoDigests: string[];
  sizeBytes: number;
}

/** An image by reference, or undefined when it is not on this engine. */
export async function inspectImage(reference: string): Promise<ImageFacts | undefined> {
  try {
    const info = await engine().getImage(reference).inspect();
    return {
      id: info.Id,
      repoDigests: info.RepoDigests,
      sizeBytes: info.Size,
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** The id (sha256 of the configuration) of a local image, or undefined when it is not here. */
export async function imageId(reference: string): Promise<string | undefined> {
  return (await inspectImage(reference).catch(() => undefined))?.id;
}

/** Which builder builds the images: `auto` is BuildKit when buildx answers, else the classic builder. */
export type BuilderChoice = 'auto' | 'buildkit' | 'classic';

export interface Builder {
  kind: 'buildkit' | 'classic';
  /** buildx's version (v0.38.2); the engine's for the classic builder. */
  version: string;
}

/** SIM_BUILDER (auto, buildkit or classic; default auto), or an error naming the variable. */
export function builderChoice(env: NodeJS.ProcessEnv = process.env): BuilderChoice {
  const value = env.SIM_BUILDER ?? 'auto';
  if (value === 'auto' || value === 'buildkit' || value === 'classic') return value;
  throw new Error(`SIM_BUILDER must be auto, buildkit or classic (got "${value}")`);
}

const builders = new Map<BuilderChoice, Promise<Builder>>();

async function detectBuilder(choice: BuilderChoice): Promise<Builder> {
  const classic = async (): Promise<Builder> => ({
    kind: 'classic',
    version: (await docker(['version', '--format', '{{.Server.Version}}'])).trim(),
  });
  if (choice === 'classic') return classic();
  const buildx = await docker(['buildx', 'version']).catch(() => undefined);
  const version = buildx && /\bv?(\d+\.\d+\.\d+)\b/.exec(buildx)?.[0];
  if (version) return { kind: 'buildkit', version };
  if (choice === 'buildkit')
    throw new Error(
      'SIM_BUILDER=buildkit needs docker buildx (`docker buildx version` did not answer); run npm run provision or install the docker-buildx-plugin',
    );
  return classic();
}

/** The builder that builds the images, as chosen (default: SIM_BUILDER, else auto). */
export function imageBuilder(choice: BuilderChoice = builderChoice()): Promise<Builder> {
  let builder = builders.get(choice);
  if (!builder) {
    builder = detectBuilder(choice);
    builders.set(choice, builder);
  }
  return builder;
}

/**
 * A Dockerfile for the classic builder: the same steps with BuildKit's
 * `RUN --mount=type=cache,…` options left out. A cache mount only keeps a
 * folder (npm's download cache) between builds; the step does the same without it.
 */
export function forClassicBuilder(dockerfile: string): string {
  return dockerfile.replace(/^(\s*RUN\s+)((?:--mount=\S+\s+)+)/gim, (_all, run: string, mounts: string) => {
    const kept = mounts
      .trim()
      .split(/\s+/)
      .filter((option) => !/^--mount=(?:\S*,)?type=cache(?:,|$)/.test(option));
    return `${run}${kept.map((option) => `${option} `).join('')}`;
  });
}

export interface BuildRequest {
  /** From the repository root, or absolute. */
  dockerfile: string;
  /** The build context; default the repository root. */
  context?: string;
  tag: string;
  buildArgs: Record<string, string>;
  noCache?: boolean;
  /** Default: SIM_BUILDER, else BuildKit when buildx answers. */
  builder?: BuilderChoice;
  /** Build output, line by line. */
  onLine?: (line: string) => void;
}

/**
 * `docker buildx build` (BuildKit, into this engine's images) or, without
 * buildx, `docker build` with the classic builder, of the repository root
 * unless a context is given; throws with the build's last lines when it fails.
 */
export async function buildImage(request: BuildRequest): Promise<void> {
  const builder = await imageBuilder(request.builder);
  let dockerfile = request.dockerfile;
  let scratch: string | undefined;
  if (builder.kind === 'classic') {
    scratch = await mkdtemp(join(tmpdir(), 'todo-classic-build-'));
    dockerfile = join(scratch, 'Dockerfile');
    const source = isAbsolute(request.dockerfile) ? request.dockerfile : join(repoRoot, request.dockerfile);
    await writeFile(dockerfile, forClassicBuilder(await readFile(source, 'utf8')));
  }
  const args = [
    ...(builder.kind === 'buildkit' ? ['buildx', 'build', '--load', '--progress=plain'] : ['build']),
    '-f',
    dockerfile,
    '-t',
    request.tag,
    ...(request.noCache ? ['--no-cache'] : []),
  ];
  for (const [name, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  args.push(request.context ?? '.');
  const output: string[] = [];
  try {
    const code = await dockerStreaming(args, {
      env: { ...process.env, DOCKER_BUILDKIT: builder.kind === 'buildkit' ? '1' : '0' },
      onLine: (line) => {
        output.push(line);
        request.onLine?.(line);
      },
    });
    if (code !== 0) {
      throw new Error(
        `docker ${builder.kind === 'buildkit' ? 'buildx build' : 'build'} of ${request.tag} (${builder.kind === 'buildkit' ? 'BuildKit' : 'classic builder'}) exited ${code}; last lines:\n${output.slice(-15).join('\n')}`,
      );
    }
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Empties BuildKit's build cache, npm's cache mount included: the next
 * BuildKit build is a newcomer's first (benchmarks only). Nothing without buildx.
 */
export async function pruneBuildCache(): Promise<void> {
  if ((await imageBuilder('auto')).kind === 'buildkit')
    await docker(['builder', 'prune', '--all', '--force']);
}

/** Runs a one-off container of an image and returns its output (stdout and stderr). */
export async function runImage(image: string, command: string[]): Promise<string> {
  return docker(['run', '--rm', image, ...command]);
}

/** Copies a folder out of an image (without running it) to `dest` on this machine. */
export async function copyFromImage(image: string, path: string, dest: string): Promise<void> {
  const container = (await docker(['create', image])).trim();
  try {
    await docker(['cp', `${container}:${path}/.`, dest]);
  } finally {
    await docker(['rm', container]);
  }
}

/** What an image says about itself besides its files: how each layer was made, and its configuration. */
export interface ImageMetadata {
  /** Each step of its history, newest first, untruncated (`docker history --no-trunc`). */
  history: string[];
  /** Its variables as NAME=value. */
  env: string[];
  labels: Record<string, string>;
  /** Entrypoint and command, as one list. */
  command: string[];
  /** Its layers' content digests (diff ids), oldest first: a base image's are a prefix. */
  layers: string[];
}

export async function imageMetadata(reference: string): Promise<ImageMetadata> {
  const image = engine().getImage(reference);
  const info = await image.inspect();
  const steps = (await image.history()) as { CreatedBy?: string }[];
  // The engine sends null for what an image does not set (FROM scratch has no labels).
  const config = info.Config as {
    Env: string[] | null;
    Labels: Record<string, string> | null;
    Cmd: string[] | null;
    Entrypoint: string[] | string | null;
  };
  const entrypoint = config.Entrypoint ?? [];
  return {
    history: steps.map((step) => step.CreatedBy ?? ''),
    env: config.Env ?? [],
    labels: config.Labels ?? {},
    command: [...(Array.isArray(entrypoint) ? entrypoint : [entrypoint]), ...(config.Cmd ?? [])],
    layers: (info.RootFS as { Layers?: string[] }).Layers ?? [],
  };
}

/**
 * `docker save` of one image: a tar holding manifest.json (its layer files,
 * oldest first) and each layer as a tar of the files that layer adds or
 * changes, including what a later layer deletes.
 */
export async function saveImage(reference: string): Promise<Readable> {
  return Readable.from(await engine().getImage(reference).get());
}

/** Removes one image by reference, and only its own untagged parents. */
export async function removeImage(reference: string): Promise<void> {
  await engine().getImage(reference).remove({ force: true });
}

/** Local image references (repository:tag) whose repository matches. */
export async function listImages(repository: RegExp): Promise<string[]> {
  const images = await engine().listImages();
  return images.flatMap((image) => (image.RepoTags ?? []).filter((tag) => repository.test(tag)));
}

/** Removes images by reference, then the dangling layers they leave. */
export async function removeImages(references: string[]): Promise<void> {
  for (const reference of references) await engine().getImage(reference).remove({ force: true });
  await engine().pruneImages();
}

/** Whether a registry gives this image (pulled quietly; false on any failure). */
export async function tryPull(reference: string, timeoutMs: number): Promise<boolean> {
  return docker(['pull', '--quiet', reference], { timeoutMs }).then(
    () => true,
    () => false,
  );
}

/** `docker tag`: another name for a local image. */
export async function tagImage(source: string, target: string): Promise<void> {
  await engine()
    .getImage(source)
    .tag({ repo: target.slice(0, target.lastIndexOf(':')), tag: target.slice(target.lastIndexOf(':') + 1) });
}

/**
 * `docker push` of a tagged reference, through docker's own credentials
 * (`docker login`); the manifest digest docker reports having pushed.
 */
export async function pushImage(reference: string, onLine?: (line: string) => void): Promise<string> {
  const output: string[] = [];
  const code = await dockerStreaming(['push', reference], {
    onLine: (line) => {
      output.push(line);
      onLine?.(line);
    },
  });
  if (code !== 0) throw new Error(`docker push ${reference} exited ${code}: ${output.slice(-3).join(' / ')}`);
  const digest = output.map((line) => /digest: (sha256:[0-9a-f]{64})/.exec(line)?.[1]).find(Boolean);
  if (!digest) throw new Error(`docker push ${reference} did not report a digest`);
  return digest;
}

/** `docker pull` by reference (a digest, for a platform that runs exactly one). */
export async function pullImage(reference: string): Promise<void> {
  await docker(['pull', '--quiet', reference]);
}

/** Drops local names (tags and digests) under a registry, leaving the images and their other names. */
export async function forgetRegistryNames(registry: string): Promise<void> {
  const images = await engine().listImages({ digests: true });
  const names = images.flatMap((image) =>
    [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])].filter((name) =>
      name.startsWith(`${registry}/`),
    ),
  );
  for (const name of names)
    await engine()
      .getImage(name)
      .remove({ noprune: true })
      .catch(() => undefined);
}
