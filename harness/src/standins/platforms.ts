// Every platform promotion talks to, on this machine: a real registry and
// stand-ins of Railway, Vercel and Render that run what they are given, with
// a Postgres and a Redis as the managed services. `npm run platforms` starts
// them by hand; the promotion tests start them per suite.
import { randomBytes } from 'node:crypto';
import { forgetRegistryNames } from '../docker/index.ts';
import { baseImages } from '../images/index.ts';
import { railwaySettings } from '../promote/index.ts';
import { startRailwayStandIn, type RailwayStandIn } from './railway.ts';
import { startRegistry } from './registry.ts';
import { startRenderStandIn, type RenderStandIn } from './render.ts';
import { startRuntime } from './runtime.ts';
import { startVercelStandIn, type VercelStandIn } from './vercel.ts';

export interface Platforms extends AsyncDisposable {
  /** The project every container here carries (the registry, the services, each deployment's replicas). */
  project: string;
  registry: string;
  railway: RailwayStandIn;
  vercel: VercelStandIn;
  render: RenderStandIn;
  /** What npm run promote reads, pointed at these. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startPlatforms(options: { log?: (line: string) => void } = {}): Promise<Platforms> {
  const log = options.log ?? (() => undefined);
  const images = baseImages();
  const runtime = await startRuntime({ postgres: images.POSTGRES_IMAGE, redis: images.REDIS_IMAGE });
  const closers: (() => Promise<unknown>)[] = [];
  let registry: string | undefined;
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
    await runtime.remove().catch(() => undefined);
    // The images stay; the names they were pushed and pulled under go with the registry
    // (once no container of it runs, or docker keeps the names they were started from).
    if (registry) await forgetRegistryNames(registry).catch(() => undefined);
  };
  try {
    log('registry');
    const { host } = await startRegistry(runtime.project, runtime.network);
    registry = host;
    log('Vercel, Railway and Render stand-ins');
    const vercel = await startVercelStandIn();
    closers.push(() => vercel.close());
    const railway = await startRailwayStandIn({ runtime });
    closers.push(() => railway.close());
    const settings = railwaySettings();
    const preDeploy = Array.isArray(settings.preDeployCommand)
      ? settings.preDeployCommand.join(' && ')
      : settings.preDeployCommand;
    const render = await startRenderStandIn({
      runtime,
      healthCheckPath: settings.healthcheckPath ?? '/ready',
      numInstances: settings.numReplicas ?? 1,
      imageRepository: `${host}/todo-backend`,
      ...(preDeploy ? { preDeployCommand: preDeploy } : {}),
    });
    closers.push(() => render.close());
    // The variables a team sets once in each platform's dashboard.
    const variables = {
      DATABASE_URL: runtime.services.databaseUrl,
      REDIS_URL: runtime.services.redisUrl,
      AUTH_SECRET: randomBytes(36).toString('base64url'),
      PUBLIC_URL: vercel.productionUrl,
      // Vercel's edge, then the platform's router: the client is the second hop back.
      TRUST_PROXY: '2',
      // Every request here comes from 127.0.0.1: a few promotions' smokes in one minute would
      // spend production's 10 sign-ins per address. The per-account lockout keeps its value.
      RATE_LIMIT_AUTH_MAX: '1000',
    };
    railway.setVariables(variables);
    render.setVariables(variables);
    // Staging: its own database, secret and Redis keys, reached through the staging domain.
    railway.setVariables(
      {
        ...variables,
        DATABASE_URL: runtime.services.stagingDatabaseUrl,
        REDIS_KEY_PREFIX: 'staging:',
        AUTH_SECRET: randomBytes(36).toString('base64url'),
        PUBLIC_URL: vercel.stagingUrl,
      },
      railway.stagingEnvironmentId,
    );
    return {
      project: runtime.project,
      registry: host,
      railway,
      vercel,
      render,
      env: {
        PROMOTE_REGISTRY: host,
        PROMOTE_POLL_MS: '500',
        RAILWAY_API_URL: railway.apiUrl,
        RAILWAY_TOKEN: railway.token,
        RAILWAY_SERVICE_ID: railway.serviceId,
        RAILWAY_ENVIRONMENT_ID: railway.environmentId,
        RAILWAY_STAGING_ENVIRONMENT_ID: railway.stagingEnvironmentId,
        VERCEL_API_URL: vercel.apiUrl,
        VERCEL_TOKEN: vercel.token,
        VERCEL_PROJECT_ID: vercel.projectId,
        VERCEL_STAGING_DOMAIN: vercel.stagingDomain,
        RENDER_API_URL: render.apiUrl,
        RENDER_API_KEY: render.apiKey,
        RENDER_SERVICE_ID: render.serviceId,
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
