import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { testSecret, publicUrl } from './api.ts';
import { freePort } from './outage.ts';

const entry = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ServerProcess extends AsyncDisposable {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** The API as its own process (node src/main.ts), as a container runs it. */
export async function spawnServer(env: Record<string, string>, waitForReady = true): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      AUTH_SECRET: testSecret,
      RATE_LIMIT_AUTH_MAX: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  if (waitForReady) {
    const deadline = Date.now() + 15_000;
    while (!out.includes('"msg":"ready"')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        if (child.exitCode === null) child.kill('SIGKILL');
        throw new Error(`server did not become ready (exit ${child.exitCode}):\n${out}\n${err}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
