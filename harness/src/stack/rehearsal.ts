import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { freePort } from '../local-stack/index.ts';
import { upStack, type StartedStack } from './compose.ts';

const run = promisify(execFile);

export interface RehearsalOptions {
  images: { backend: string; frontend: string; proxy: string };
  projectName: string;
  /** More variables for the compose file (rate limits, ...). */
  env?: Record<string, string>;
}

export interface StartedRehearsal extends AsyncDisposable {
  stack: StartedStack;
  /** https://localhost:<port>: what a browser opens. */
  baseUrl: string;
  /** http://localhost:<port>: redirects to baseUrl. */
  httpUrl: string;
  /** The root certificate of the stack's own CA (PEM): trust it to verify TLS. */
  caCertificate: string;
  /** fetch that trusts that CA. */
  fetch: typeof undiciFetch;
  down: () => Promise<void>;
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

/**
 * The production rehearsal (docker-compose.prod.yml) from built images: its
 * own project, ports and secrets, so runs never collide. Everything goes with down().
 */
export async function startRehearsal(options: RehearsalOptions): Promise<StartedRehearsal> {
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const secrets = await writeSecrets();
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
    });
  } catch (error) {
    await secrets.remove();
    throw error;
  }
  const down = async () => {
    try {
      await stack.down();
    } finally {
      await secrets.remove();
    }
  };
  try {
    const { stdout: caCertificate } = await run('docker', [
      'exec',
      stack.containerId('proxy'),
      'cat',
      '/data/caddy/pki/authorities/local/root.crt',
    ]);
    const dispatcher = new Agent({ connect: { ca: caCertificate } });
    const trusted: typeof undiciFetch = (input, init) => undiciFetch(input, { ...init, dispatcher });
    return {
      stack,
      baseUrl: `https://localhost:${httpsPort}`,
      httpUrl: `http://localhost:${httpPort}`,
      caCertificate,
      fetch: trusted,
      down,
      [Symbol.asyncDispose]: down,
    };
  } catch (error) {
    await down();
    throw error;
  }
}
