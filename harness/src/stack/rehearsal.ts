import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { freePort } from '../local-stack/index.ts';
import { upStack, type StartedStack } from './compose.ts';
import { diagnoseStart } from './inspect.ts';
import { watchStack, type StackWatcher } from './watch.ts';

const run = promisify(execFile);

export interface RehearsalOptions {
  images: { backend: string; frontend: string; proxy: string };
  projectName: string;
  /** More variables for the compose file (rate limits, ...). */
  env?: Record<string, string>;
  /** Stop starting when this rejects (an interrupt); everything started is removed. */
  abort?: Promise<never>;
  startupTimeoutMs?: number;
  /** Runs when the start fails, while the containers (and their logs) still exist. */
  onStartFailure?: () => Promise<void>;
}

export interface StartedRehearsal extends AsyncDisposable {
  stack: StartedStack;
  /** Start-up timeline of every service; keeps counting restarts until down(). */
  watcher: StackWatcher;
  /** https://localhost:<port>: what a browser opens. */
  baseUrl: string;
  /** http://localhost:<port>: redirects to baseUrl. */
  httpUrl: string;
  /** The root certificate of the stack's own CA (PEM): trust it to verify TLS. */
  caCertificate: string;
  /** fetch that trusts that CA. */
  fetch: typeof undiciFetch;
  down: () => Promise<void>;
  /** Leaves the stack running (sim --keep) and forgets it: `npm run down` removes it later. */
  detach: () => Promise<void>;
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Fresh secrets for one run, in an env file only this user can read. */
async function writeSecrets(): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-rehearsal-'));
  const password = secret(24);
  const file = join(dir, 'secrets.env');
  await writeFile(
    file,
    [
      'POSTGRES_USER=todo',
      `POSTGRES_PASSWORD=${password}`,
      'POSTGRES_DB=todo',
      `DATABASE_URL=postgres://todo:${password}@postgres:5432/todo`,
      `AUTH_SECRET=${secret(48)}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The root certificate (PEM) of the CA a rehearsal's proxy issues its certificate from. */
export async function readCaCertificate(proxyContainerId: string): Promise<string> {
  const { stdout } = await run('docker', [
    'exec',
    proxyContainerId,
    'cat',
    '/data/caddy/pki/authorities/local/root.crt',
  ]);
  return stdout;
}

/**
 * The production rehearsal (docker-compose.prod.yml) from built images: its
 * own project, ports and secrets, so runs never collide. Everything goes with down().
 */
export async function startRehearsal(options: RehearsalOptions): Promise<StartedRehearsal> {
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const secrets = await writeSecrets();
  const watcher = await watchStack(options.projectName);
  const abort = options.abort ? Promise.race([watcher.failed, options.abort]) : watcher.failed;
  abort.catch(() => undefined);
  let failure: unknown;
  let stack: StartedStack;
  try {
    stack = await upStack({
      file: 'docker-compose.prod.yml',
      projectName: options.projectName,
      env: {
        BACKEND_IMAGE: options.images.backend,
        FRONTEND_IMAGE: options.images.frontend,
        PROXY_IMAGE: options.images.proxy,
        HTTPS_PORT: String(httpsPort),
        HTTP_PORT: String(httpPort),
        REHEARSAL_SECRETS: secrets.file,
        ...options.env,
      },
      abort,
      ...(options.startupTimeoutMs ? { startupTimeoutMs: options.startupTimeoutMs } : {}),
      onFailure: async (error) => {
        failure = (await diagnoseStart(options.projectName, error)) ?? error;
        await options.onStartFailure?.();
      },
    });
    watcher.markUp();
  } catch (error) {
    watcher.stop();
    await secrets.remove();
    throw failure ?? error;
  }
  const down = async () => {
    watcher.stop();
    try {
      await stack.down();
    } finally {
      await secrets.remove();
    }
  };
  try {
    const caCertificate = await readCaCertificate(stack.containerId('proxy'));
    const dispatcher = new Agent({ connect: { ca: caCertificate } });
    const trusted: typeof undiciFetch = (input, init) => undiciFetch(input, { ...init, dispatcher });
    return {
      stack,
      watcher,
      baseUrl: `https://localhost:${httpsPort}`,
      httpUrl: `http://localhost:${httpPort}`,
      caCertificate,
      fetch: trusted,
      down,
      detach: async () => {
        watcher.stop();
        await secrets.remove();
      },
      [Symbol.asyncDispose]: down,
    };
  } catch (error) {
    await down();
    throw error;
  }
}
