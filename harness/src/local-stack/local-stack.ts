import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { prepareTestcontainers as prepare, startPostgres, startRedis } from '../docker/index.ts';
import { baseImages, usingOfflineImages } from '../images/index.ts';
import { repoRoot } from '../paths.ts';
import { freePort } from '../ports.ts';
import { ownerLabels, reapOrphans } from '../projects/index.ts';
import { routedFetch, type TrustedFetch } from '../rehearsal/trusted-fetch.ts';
import { runToEnd, startProcess, waitForHttp, type RunningProcess } from './processes.ts';
import { startWebServer } from './web-server.ts';

export interface LocalStackOptions {
  /** Extra backend environment (rate limits, assistant settings). */
  backendEnv?: Record<string, string>;
  /** Build the SPA first (default: only when frontend/dist is missing). */
  buildFrontend?: boolean | 'if-missing';
  /** false: the API only (no SPA build needed); every other path answers 404. */
  frontend?: boolean;
  /** Progress lines ("starting Postgres and Redis"); default silent. */
  log?: (line: string) => void;
}

export interface StartedLocalStack extends AsyncDisposable {
  /** Where a browser reaches the app: the SPA, with /api forwarded to the backend. */
  baseUrl: string;
  /** fetch from another client address (127.0.0.2) through the same forwarder. */
  fetchFromAnotherAddress: TrustedFetch;
  /** The backend itself, for health checks and metrics. */
  backendUrl: string;
  databaseUrl: string;
  /** The backend's output so far (JSON log lines). */
  backendLogs(): string;
  stop(): Promise<void>;
}

const node = process.execPath;

/** testcontainers' settings for this machine (Ryuk off where no registry answers); the developer's own win. */
export const prepareTestcontainers = (): void => {
  prepare(usingOfflineImages());
};

/**
 * The whole app on this machine without Compose: Postgres and Redis in labelled
 * containers, the backend as a Node process (migrated first), the built SPA
 * served with /api forwarded, same origin, as the reverse proxy does. Everything stops with `await using` or stop().
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<StartedLocalStack> {
  const log = options.log ?? (() => undefined);
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    prepareTestcontainers();
    await reapOrphans();
    const frontendDir = join(repoRoot, 'frontend');
    const build = options.frontend === false ? false : (options.buildFrontend ?? 'if-missing');
    const building =
      build === true || (build === 'if-missing' && !existsSync(join(frontendDir, 'dist', 'index.html')))
        ? (log('building the frontend'),
          runToEnd(
            node,
            [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
            process.env,
            frontendDir,
            'frontend build (vite build)',
          ))
        : Promise.resolve();

    log('starting Postgres and Redis');
    const images = baseImages();
    const [postgres, redis] = await Promise.allSettled([
      startPostgres(images.POSTGRES_IMAGE, ownerLabels()),
      startRedis(images.REDIS_IMAGE, ownerLabels()),
    ]);
    for (const started of [postgres, redis]) {
      if (started.status === 'fulfilled') cleanups.push(() => started.value.stop());
    }
    if (postgres.status === 'rejected') throw new Error(`Postgres did not start: ${String(postgres.reason)}`);
    if (redis.status === 'rejected') throw new Error(`Redis did not start: ${String(redis.reason)}`);
    const databaseUrl = postgres.value.connectionUri;
    const redisUrl = `redis://${redis.value.host}:${redis.value.port(6379)}`;

    const backendDir = join(repoRoot, 'backend');
    const baseEnv = { PATH: process.env.PATH, DATABASE_URL: databaseUrl, NODE_ENV: 'production' };
    log('migrating the database');
    await runToEnd(node, ['src/migrations/cli.ts'], baseEnv, backendDir, 'database migration');

    const [webPort, apiPort] = [await freePort(), await freePort()];
    const baseUrl = `http://127.0.0.1:${webPort}`;
    const backendUrl = `http://127.0.0.1:${apiPort}`;
    log('starting the backend');
    const backend: RunningProcess = startProcess(
      node,
      ['src/main.ts'],
      {
        ...baseEnv,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        REDIS_URL: redisUrl,
        PUBLIC_URL: baseUrl,
        AUTH_SECRET: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'info',
        // The forwarder below, on loopback, says who the client is (as the proxy does).
        TRUST_PROXY: 'loopback',
        ...options.backendEnv,
      },
      backendDir,
    );
    cleanups.push(() => backend.stop());
    await waitForHttp(`${backendUrl}/health`, backend, 'the backend');

    await building;
    log(options.frontend === false ? 'serving the API' : 'serving the frontend');
    const web = await startWebServer({
      root: options.frontend === false ? undefined : join(frontendDir, 'dist'),
      backendUrl,
      port: webPort,
    });
    cleanups.push(() => web.close());

    return {
      baseUrl,
      fetchFromAnotherAddress: routedFetch({ localAddress: '127.0.0.2' }),
      backendUrl,
      databaseUrl,
      backendLogs: () => backend.output(),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
