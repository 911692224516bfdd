// Where k6 comes from: k6 on PATH, or else Grafana's official image
// (grafana/k6, the version CI and scripts/k6.sh pin) run with Docker, as
// Grafana documents it — already here, or pulled once. Building it from source
// (scripts/k6.sh) is for machines no image registry answers.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { docker, imageId, tryPull } from '../docker/index.ts';

/** The image when k6 is not on PATH; K6_IMAGE names another (a mirror, a pinned digest). */
export const k6Image = (env: NodeJS.ProcessEnv = process.env): string => env.K6_IMAGE ?? 'grafana/k6:1.8.1';

export type K6Runner = { kind: 'binary'; path: string } | { kind: 'image'; image: string };

export const k6Missing = (env: NodeJS.ProcessEnv = process.env): string =>
  `k6 is not on PATH and Docker could not get ${k6Image(env)}: install k6 1.x (grafana.com/docs/k6), ` +
  `docker pull ${k6Image(env)}, or build it with Go: bash scripts/k6.sh (npm run provision runs it)`;

/** The line a command prints when the load runs from the image. */
export const k6FromImage = (image: string): string =>
  `k6 is not on PATH: the load runs from ${image} (Docker)`;

/** k6 on PATH, or undefined. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = process.platform === 'win32' ? 'k6.exe' : 'k6';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** k6 on PATH, else the image when this Docker has it; undefined when neither (nothing is pulled). */
export async function localK6(env: NodeJS.ProcessEnv = process.env): Promise<K6Runner | undefined> {
  const path = findK6(env);
  if (path) return { kind: 'binary', path };
  const image = k6Image(env);
  const present = await imageId(image).catch(() => undefined);
  return present ? { kind: 'image', image } : undefined;
}

/** As localK6, pulling the image when it is missing; undefined when that fails too. */
export async function resolveK6(env: NodeJS.ProcessEnv = process.env): Promise<K6Runner | undefined> {
  const local = await localK6(env);
  if (local) return local;
  const image = k6Image(env);
  return (await tryPull(image, 300_000)) ? { kind: 'image', image } : undefined;
}

/**
 * The command that runs k6 with these arguments and variables. From the image:
 * on the host's network (the rehearsal listens on 127.0.0.1), as this user
 * (its files are the user's), with the folders it reads and writes mounted
 * at the same paths, so every path k6 is given means the same inside.
 */
export function k6Command(
  runner: K6Runner,
  options: { args: string[]; env: Record<string, string>; mounts: string[]; name: string },
): { file: string; argv: string[]; env: NodeJS.ProcessEnv; stop?: () => Promise<void> } {
  if (runner.kind === 'binary')
    return { file: runner.path, argv: options.args, env: { ...process.env, ...options.env } };
  const user = process.getuid && process.getgid ? ['--user', `${process.getuid()}:${process.getgid()}`] : [];
  const argv = [
    'run',
    '--rm',
    '--name',
    options.name,
    '--network',
    'host',
    ...user,
    ...options.mounts.flatMap((dir) => ['--volume', `${dir}:${dir}`]),
    '--workdir',
    options.mounts[0] ?? '/',
    ...Object.entries(options.env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    runner.image,
    ...options.args,
  ];
  return {
    file: 'docker',
    argv,
    env: process.env,
    // Killing the docker client leaves the container running: it is stopped by name.
    stop: async () => {
      await docker(['kill', options.name]).catch(() => undefined);
    },
  };
}
