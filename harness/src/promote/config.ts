// Where a promotion goes, from the environment (the same names in CI's
// secrets and in .platforms.env for the stand-ins). The platforms are looked
// up by name in the table of targets; each says which variables it needs, and
// a missing one is one line naming it and what it is.
import { RegistryClient } from '../registry/index.ts';
import { parseMaxAge, PromotionRefused } from './verify.ts';
import {
  backendTargets,
  frontendTargets,
  type BackendTarget,
  type Environment,
  type FrontendTarget,
  type TargetDefinition,
  type TargetVariable,
} from './targets/index.ts';

export interface PromotionConfig {
  environment: Environment;
  registry: string;
  registryClient: RegistryClient;
  backend: BackendTarget;
  frontend: FrontendTarget;
}

/** The promotion cannot start: a variable is missing or malformed (exit 2). */
export class PromotionMisconfigured extends Error {
  override name = 'PromotionMisconfigured';
}

function need(env: NodeJS.ProcessEnv, variables: TargetVariable[]): void {
  const missing = variables.filter(({ names }) => !names.some((name) => env[name]));
  if (missing.length) {
    throw new PromotionMisconfigured(
      `set ${missing.map(({ names, what }) => `${names.join(' or ')} (${what})`).join(', ')}; the README's "Promote a release" lists them`,
    );
  }
}

function pick<T>(table: readonly TargetDefinition<T>[], variable: string, name: string): TargetDefinition<T> {
  const found = table.find((target) => target.name === name);
  if (!found)
    throw new PromotionMisconfigured(
      `${variable}=${name}: one of ${table.map((target) => target.name).join(', ')}`,
    );
  return found;
}

/** PROMOTE_DEPLOY_TIMEOUT (10m by default), in ms; misconfigured when it is no duration. */
export function deployTimeout(env: NodeJS.ProcessEnv): number {
  try {
    return parseMaxAge(env.PROMOTE_DEPLOY_TIMEOUT ?? '10m');
  } catch {
    throw new PromotionMisconfigured(
      `PROMOTE_DEPLOY_TIMEOUT=${env.PROMOTE_DEPLOY_TIMEOUT ?? ''}: expected a duration such as 10m or 90s`,
    );
  }
}

export function promotionConfig(env: NodeJS.ProcessEnv, environment: Environment): PromotionConfig {
  need(env, [{ names: ['PROMOTE_REGISTRY'], what: 'where the images are pushed, e.g. ghcr.io/acme' }]);
  const deployTimeoutMs = deployTimeout(env);
  const pollMs = Number(env.PROMOTE_POLL_MS ?? 2_000);
  const registry = env.PROMOTE_REGISTRY ?? '';
  const host = registry.split('/')[0] ?? registry;
  const registryClient = new RegistryClient(
    host,
    env.PROMOTE_REGISTRY_USER && env.PROMOTE_REGISTRY_PASSWORD
      ? { username: env.PROMOTE_REGISTRY_USER, password: env.PROMOTE_REGISTRY_PASSWORD }
      : undefined,
  );
  const backend = pick(backendTargets, 'PROMOTE_BACKEND', env.PROMOTE_BACKEND ?? 'railway');
  const frontend = pick(frontendTargets, 'PROMOTE_FRONTEND', env.PROMOTE_FRONTEND ?? 'vercel');
  need(env, [...backend.variables(environment), ...frontend.variables(environment)]);
  const settings = { environment, deployTimeoutMs, pollMs };
  return {
    environment,
    registry,
    registryClient,
    backend: backend.create(env, settings),
    frontend: frontend.create(env, settings),
  };
}

export { PromotionRefused };
