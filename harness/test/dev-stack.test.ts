import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseImages,
  projectContainers,
  repoRoot,
  freePort,
  prepareTestcontainers,
  projectLeftovers,
  projectName as newProjectName,
  reapOrphans,
  startOwnedCompose,
} from '../src/index.ts';

const projectName = newProjectName('dev-test');

describe('the developer stack (docker-compose.yml)', () => {
  let stack: Awaited<ReturnType<typeof startOwnedCompose>>;
  let appUrl: string;
  let env: Record<string, string>;
  // Teardown even when beforeAll failed half-way (then the stack was never set).
  const teardown: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    prepareTestcontainers();
    await reapOrphans();
    const appPort = await freePort();
    appUrl = `http://localhost:${appPort}`;
    env = {
      ...baseImages(),
      APP_PORT: String(appPort),
      POSTGRES_PORT: String(await freePort()),
      REDIS_PORT: String(await freePort()),
    };
    stack = await startOwnedCompose({
      file: 'docker-compose.yml',
      projectName,
      build: true,
      startupTimeoutMs: 300_000,
      env,
    });
    teardown.push(() => stack.down());
  });
  afterAll(async () => {
    for (const step of teardown) await step();
  });

  it('gives the app at one URL: the Vite dev server and the API behind the proxy', async () => {
    const page = await fetch(`${appUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/@vite/client');
    const signUp = await fetch(`${appUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: appUrl, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `dev-${randomUUID()}@example.com`,
        password: 'correct horse battery',
        name: 'Dev',
      }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .join('; ');
    const created = await fetch(`${appUrl}/api/tasks`, {
      method: 'POST',
      headers: { origin: appUrl, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'from the dev stack' }),
    });
    expect(created.status).toBe(201);
  });

  it('rebuilds and recreates the backend alone under `docker compose watch` when its package.json changes', async () => {
    const ids = async () =>
      Object.fromEntries((await projectContainers(projectName)).map((c) => [c.service, c.id]));
    const backendId = async () =>
      (await projectContainers(projectName)).find((c) => c.service === 'backend' && c.state === 'running')
        ?.id;
    const others = await ids();
    const before = await backendId();
    expect(before).toBeDefined();
    const watch = spawn(
      'docker',
      ['compose', '-p', projectName, '-f', 'docker-compose.yml', 'watch', '--no-up'],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    for (const stream of [watch.stdout, watch.stderr])
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    const file = join(repoRoot, 'backend', 'package.json');
    try {
      const waitFor = async (what: () => Promise<boolean> | boolean, timeoutMs: number) => {
        const until = Date.now() + timeoutMs;
        while (!(await what())) {
          if (Date.now() > until) return false;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        return true;
      };
      expect(await waitFor(() => /watch enabled/i.test(output), 30_000), output).toBe(true);
      // An edit that changes nothing: the file is written again with the same text.
      await writeFile(file, await readFile(file, 'utf8'));
      expect(await waitFor(async () => ((await backendId()) ?? before) !== before, 180_000), output).toBe(
        true,
      );
      expect(output).toMatch(/Rebuilding service\(s\) \["backend"\]/);
      let last = '';
      const answers = await waitFor(async () => {
        const reply = await fetch(`${appUrl}/api/openapi.json`).catch((error: unknown) => String(error));
        last = typeof reply === 'string' ? reply : String(reply.status);
        return last === '200';
      }, 30_000);
      const states = (await projectContainers(projectName)).map((c) => `${c.service} ${c.state}`).join(', ');
      expect(
        answers,
        `last answer: ${last}; containers: ${states}; watch said:\n${output.slice(-2000)}`,
      ).toBe(true);
      // Everything else kept running as it was: the data, the frontend, the proxy. (The
      // one-shot migration shares the backend's image: when the rebuild gives a new
      // image id, Compose recreates it too, and runs it before the backend starts.)
      const after = await ids();
      for (const service of Object.keys(others).filter((name) => name !== 'backend' && name !== 'migrate'))
        expect(after[service], service).toBe(others[service]);
    } finally {
      watch.kill('SIGINT');
    }
  });

  it('leaves no container, network or volume behind after down', async () => {
    await stack.down();
    expect(await projectLeftovers(projectName)).toEqual([]);
  });
});
