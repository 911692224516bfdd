import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseImages,
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
  // Teardown even when beforeAll failed half-way (then the stack was never set).
  const teardown: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    prepareTestcontainers();
    await reapOrphans();
    const appPort = await freePort();
    appUrl = `http://localhost:${appPort}`;
    stack = await startOwnedCompose({
      file: 'docker-compose.yml',
      projectName,
      build: true,
      startupTimeoutMs: 300_000,
      env: {
        ...baseImages(),
        APP_PORT: String(appPort),
        POSTGRES_PORT: String(await freePort()),
        REDIS_PORT: String(await freePort()),
      },
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

  it('leaves no container, network or volume behind after down', async () => {
    await stack.down();
    expect(await projectLeftovers(projectName)).toEqual([]);
  });
});
