// What a report is bound to besides the commit: the images, the stack's settings.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ImageRecord } from '../images/index.ts';
import { repoRoot } from '../paths.ts';

/** The variables a compose file reads (`${NAME}` / `${NAME:-default}`). */
export async function composeVariables(file: string): Promise<string[]> {
  const text = await readFile(join(repoRoot, file), 'utf8');
  return [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1] as string))].sort();
}

/**
 * The settings that decide how the stack behaves, without secrets: every
 * variable the compose file reads that is set, plus what the run sets itself.
 */
export async function stackSettings(
  file: string,
  env: NodeJS.ProcessEnv,
  own: Record<string, string>,
): Promise<Record<string, string>> {
  const secret = /SECRET|PASSWORD|TOKEN|KEY/;
  const settings: Record<string, string> = {};
  for (const name of await composeVariables(file)) {
    const value = own[name] ?? env[name];
    if (value !== undefined && !secret.test(name)) settings[name] = value;
  }
  return settings;
}

export async function configHash(input: {
  composeFile: string;
  /** More files that decide the stack (the Kubernetes rehearsal: the charts and the cluster's set-up). */
  files?: string[] | undefined;
  env: Record<string, string>;
  images: Partial<Record<string, ImageRecord>>;
  /** Postgres, Redis, Node and Caddy: a moved tag changes the hash. */
  baseImageIds: Record<string, string | undefined>;
  thresholds: string[];
}): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(join(repoRoot, input.composeFile)));
  for (const file of input.files ?? []) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(join(repoRoot, file)));
  }
  const ids = Object.fromEntries(Object.entries(input.images).map(([name, image]) => [name, image?.id]));
  // Image references carry content hashes already; their ids bind the exact bytes.
  // Ports and the secrets file differ per run by design; they do not change behaviour.
  const {
    BACKEND_IMAGE: _b,
    FRONTEND_IMAGE: _f,
    PROXY_IMAGE: _p,
    HTTPS_PORT: _s,
    HTTP_PORT: _h,
    REHEARSAL_SECRETS: _r,
    ...rest
  } = input.env;
  hash.update(
    JSON.stringify({ env: rest, images: ids, bases: input.baseImageIds, thresholds: input.thresholds }),
  );
  return `sha256:${hash.digest('hex')}`;
}

/** Every file under these folders (relative to the repository), sorted: what a chart is made of. */
export async function filesUnder(folders: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const folder of folders) {
    for (const entry of await readdir(join(repoRoot, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) found.push(relative(repoRoot, join(entry.parentPath, entry.name)));
    }
  }
  return found.sort();
}
