import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { repoRoot } from '../paths.ts';

/** Base images, by the variable that overrides them. Official images are the defaults. */
export const officialImages = {
  NODE_IMAGE: 'node:24-bookworm-slim',
  POSTGRES_IMAGE: 'postgres:17-alpine',
  REDIS_IMAGE: 'redis:7-alpine',
  CADDY_IMAGE: 'caddy:2-alpine',
} as const;

export type BaseImageVariable = keyof typeof officialImages;
export type BaseImages = Record<BaseImageVariable, string>;

/** Written by scripts/base-images.sh on machines where no image registry answers. */
export const overridesFile = join(repoRoot, '.images.env');

/**
 * The base images to use: an environment variable wins, then the offline
 * overrides file, then the official image.
 */
export function baseImages(env: NodeJS.ProcessEnv = process.env, file = overridesFile): BaseImages {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const pick = (name: BaseImageVariable) => env[name] || fromFile[name] || officialImages[name];
  return {
    NODE_IMAGE: pick('NODE_IMAGE'),
    POSTGRES_IMAGE: pick('POSTGRES_IMAGE'),
    REDIS_IMAGE: pick('REDIS_IMAGE'),
    CADDY_IMAGE: pick('CADDY_IMAGE'),
  };
}

/**
 * The image of the local OCI registry the platforms' stand-ins pull from:
 * the official registry:2, or the stand-in base-images.sh builds offline.
 */
export function registryImage(env: NodeJS.ProcessEnv = process.env, file = overridesFile): string {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return env.REGISTRY_IMAGE || fromFile.REGISTRY_IMAGE || 'registry:2';
}

/** True when this machine uses locally built stand-ins (no registry). */
export function usingOfflineImages(file = overridesFile): boolean {
  return existsSync(file);
}
