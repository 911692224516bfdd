// Where a promotion goes, from the environment (the same names in CI's
// secrets and in .platforms.env for the stand-ins). A missing variable is one
// line naming it and what it is.
import { RegistryClient } from '../registry/index.ts';
import { parseMaxAge, PromotionRefused } from './verify.ts';
import { RailwayTarget, railwayApi, railwaySettings } from './targets/railway.ts';
import { RenderTarget, renderApi } from './targets/render.ts';
import type { BackendTarget, FrontendTarget } from './targets/target.ts';
import { VercelTarget, vercelApi } from './targets/vercel.ts';

export interface PromotionConfig {
  environment: string;
  registry: string;
  registryClient: RegistryClient;
  backend: BackendTarget;
  frontend: FrontendTarget;
}

/** The promotion cannot start: a variable is missing or malformed (exit 2). */
export class PromotionMisconfigured extends Error {
  override name = 'PromotionMisconfigured';
}

function need(env: NodeJS.ProcessEnv, names: Record<string, string>): void {
  const missing = Object.entries(names).filter(([name]) => !env[name]);
  if (missing.length) {
    throw new PromotionMisconfigured(
      `set ${missing.map(([name, what]) => `${name} (${what})`).join(', ')}; the README's "Promote a release" lists them`,
    );
  }
}

export function promotionConfig(env: NodeJS.ProcessEnv, environment: string): PromotionConfig {
  need(env, { PROMOTE_REGISTRY: 'where the images are pushed, e.g. ghcr.io/acme' });
  let deployTimeoutMs: number;
  try {
    deployTimeoutMs = parseMaxAge(env.PROMOTE_DEPLOY_TIMEOUT ?? '10m');
  } catch {
    throw new PromotionMisconfigured(
      `PROMOTE_DEPLOY_TIMEOUT=${env.PROMOTE_DEPLOY_TIMEOUT ?? ''}: expected a duration such as 10m or 90s`,
    );
  }
  const pollMs = Number(env.PROMOTE_POLL_MS ?? 2_000);
  const registry = env.PROMOTE_REGISTRY ?? '';
  const host = registry.split('/')[0] ?? registry;
  const registryClient = new RegistryClient(
    host,
    env.PROMOTE_REGISTRY_USER && env.PROMOTE_REGISTRY_PASSWORD
      ? { username: env.PROMOTE_REGISTRY_USER, password: env.PROMOTE_REGISTRY_PASSWORD }
      : undefined,
  );
  const kind = env.PROMOTE_BACKEND ?? 'railway';
  let backend: BackendTarget;
  if (kind === 'railway') {
    if (!env.RAILWAY_TOKEN && !env.RAILWAY_PROJECT_TOKEN) {
      throw new PromotionMisconfigured(
        'set RAILWAY_TOKEN (an account or workspace token) or RAILWAY_PROJECT_TOKEN',
      );
    }
    need(env, {
      RAILWAY_SERVICE_ID: "the backend service's id",
      RAILWAY_ENVIRONMENT_ID: 'the environment to deploy to',
    });
    backend = new RailwayTarget({
      apiUrl: env.RAILWAY_API_URL ?? railwayApi,
      token: env.RAILWAY_TOKEN ?? env.RAILWAY_PROJECT_TOKEN ?? '',
      tokenKind: env.RAILWAY_TOKEN ? 'bearer' : 'project',
      serviceId: env.RAILWAY_SERVICE_ID ?? '',
      environmentId: env.RAILWAY_ENVIRONMENT_ID ?? '',
      settings: railwaySettings(),
      deployTimeoutMs,
      pollMs,
    });
  } else if (kind === 'render') {
    need(env, {
      RENDER_API_KEY: 'a Render API key',
      RENDER_SERVICE_ID: "the backend web service's id (srv-…)",
    });
    backend = new RenderTarget({
      apiUrl: env.RENDER_API_URL ?? renderApi,
      apiKey: env.RENDER_API_KEY ?? '',
      serviceId: env.RENDER_SERVICE_ID ?? '',
      deployTimeoutMs,
      pollMs,
    });
  } else {
    throw new PromotionMisconfigured(`PROMOTE_BACKEND=${kind}: one of railway, render`);
  }
  need(env, {
    VERCEL_TOKEN: 'a Vercel access token',
    VERCEL_PROJECT_ID: "the frontend project's id (prj_…)",
  });
  const frontend = new VercelTarget({
    apiUrl: env.VERCEL_API_URL ?? vercelApi,
    token: env.VERCEL_TOKEN ?? '',
    projectId: env.VERCEL_PROJECT_ID ?? '',
    ...(env.VERCEL_ORG_ID ? { teamId: env.VERCEL_ORG_ID } : {}),
    target: environment,
    deployTimeoutMs,
    pollMs,
  });
  return { environment, registry, registryClient, backend, frontend };
}

export { PromotionRefused };
