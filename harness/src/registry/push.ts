// Pushes a rehearsed image and proves the chain: the image id the report
// names → the manifest docker pushed → the manifest the registry serves, whose
// configuration is that same image id. From then on it is only `repo@sha256:…`.
import { inspectImage, pushImage, tagImage } from '../docker/index.ts';
import { DigestMismatch, type RegistryClient } from './client.ts';

export interface PushedImage {
  /** e.g. ghcr.io/acme/todo-backend@sha256:… */
  reference: string;
  repository: string;
  digest: string;
  /** The tag it was pushed under (the rehearsal's input hash): for people, never used downstream. */
  tag: string;
}

/** `registry/owner` + `todo-backend` → `registry/owner/todo-backend`; its host and repository path. */
export function splitRegistry(registry: string, name: string): { host: string; repository: string } {
  const [host = '', ...path] = registry.replace(/\/$/, '').split('/');
  return { host, repository: [...path, name].join('/') };
}

export async function pushByDigest(options: {
  /** The local image, by the reference the report names (todo-backend:<hash>). */
  local: string;
  /** The id the report recorded for it. */
  expectedId: string;
  /** PROMOTE_REGISTRY: a host and optional path, e.g. ghcr.io/acme or 127.0.0.1:5000. */
  registry: string;
  client: RegistryClient;
  onLine?: (line: string) => void;
}): Promise<PushedImage> {
  const name = options.local.split(':')[0] ?? options.local;
  const tag = options.local.split(':')[1] ?? 'latest';
  const { host, repository } = splitRegistry(options.registry, name);
  const local = await inspectImage(options.local);
  if (local?.id !== options.expectedId) {
    throw new DigestMismatch(
      `${options.local} is ${local?.id ?? 'not on this machine'}, the report names ${options.expectedId}`,
    );
  }
  const target = `${host}/${repository}:${tag}`;
  await tagImage(options.local, target);
  const pushed = await pushImage(target, options.onLine);
  const served = await options.client.manifest(repository, tag);
  if (!served) throw new DigestMismatch(`${target}: the registry has no manifest after the push`);
  if (served.digest !== pushed) {
    throw new DigestMismatch(`${target}: docker pushed ${pushed}, the registry serves ${served.digest}`);
  }
  if (served.configDigest !== options.expectedId) {
    throw new DigestMismatch(
      `${target}: the pushed manifest's image is ${served.configDigest}, the report names ${options.expectedId}`,
    );
  }
  // The digest itself must resolve to the same manifest.
  const byDigest = await options.client.manifest(repository, pushed);
  if (byDigest?.configDigest !== options.expectedId) {
    throw new DigestMismatch(`${host}/${repository}@${pushed} does not resolve to the rehearsed image`);
  }
  return {
    reference: `${host}/${repository}@${pushed}`,
    repository: `${host}/${repository}`,
    digest: pushed,
    tag,
  };
}
