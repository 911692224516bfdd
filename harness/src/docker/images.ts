// Images: what is here (ids, digests, sizes), builds, and files taken out of one.
import { Readable } from 'node:stream';
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

export interface BuildRequest {
  /** From the repository root, or absolute. */
  dockerfile: string;
  /** The build context; default the repository root. */
  context?: string;
  tag: string;
  buildArgs: Record<string, string>;
  noCache?: boolean;
  /** Build output, line by line. */
  onLine?: (line: string) => void;
}

/**
 * `docker build` (of the repository root unless a context is given) with the
 * classic builder (no BuildKit needed); throws with the build's last lines when it fails.
 */
export async function buildImage(request: BuildRequest): Promise<void> {
  const args = [
    'build',
    '-f',
    request.dockerfile,
    '-t',
    request.tag,
    ...(request.noCache ? ['--no-cache'] : []),
  ];
  for (const [name, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  args.push(request.context ?? '.');
  const output: string[] = [];
  const code = await dockerStreaming(args, {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    onLine: (line) => {
      output.push(line);
      request.onLine?.(line);
    },
  });
  if (code !== 0) {
    throw new Error(
      `docker build of ${request.tag} exited ${code}; last lines:\n${output.slice(-15).join('\n')}`,
    );
  }
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
