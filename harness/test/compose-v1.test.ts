// Compose v1.29 is the fallback where Compose v2 cannot be had (README: "Compose
// and the builder"). This keeps that claim honest: the rehearsal comes up on
// v1.29's own docker-compose, serves a user and leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAppImages,
  composeFlavour,
  projectLeftovers,
  projectName as newProjectName,
  reapOrphans,
  startRehearsal,
  type StartedRehearsal,
} from '../src/index.ts';
import { docker } from './docker.ts';

const v1 = await composeFlavour('v1').catch(() => undefined);
if (!v1)
  // eslint-disable-next-line no-console -- a skipped check says why, where the run's output is read
  console.log(
    'skipped: the rehearsal on Compose v1.29 (no docker-compose v1.29 on PATH; v2 is what the other tests use)',
  );

describe.skipIf(!v1)('the rehearsal on Compose v1.29 (the fallback)', () => {
  const projectName = newProjectName('test');
  let rehearsal: StartedRehearsal | undefined;

  beforeAll(async () => {
    await reapOrphans();
    const images = await buildAppImages();
    rehearsal = await startRehearsal({
      projectName,
      compose: 'v1',
      images: { backend: images.backend.tag, frontend: images.frontend.tag, proxy: images.proxy.tag },
    });
  });
  afterAll(async () => {
    await rehearsal?.down();
  });

  it('is started by docker-compose 1.29 (v1 container names), every service healthy', async () => {
    expect(v1?.version).toMatch(/^1\.29\./);
    const started = rehearsal!;
    // Compose's containers only (the second-address relay carries the project label too).
    const names = (
      await docker(
        'ps',
        '--filter',
        `label=com.docker.compose.project=${projectName}`,
        '--format',
        '{{.Names}} {{.Status}}',
      )
    )
      .trim()
      .split('\n')
      .filter((line) => line.startsWith(`${projectName}_`));
    expect(names.map((line) => line.split(' ')[0]).sort()).toEqual(
      ['backend-1', 'backend-2', 'frontend', 'postgres', 'proxy', 'redis'].map(
        (s) => `${projectName}_${s}_1`,
      ),
    );
    for (const line of names) expect(line).toMatch(/\(healthy\)/);
    expect(started.containerId('proxy')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the app: the SPA, a sign-up and a task through the proxy', async () => {
    const started = rehearsal!;
    expect((await started.fetch(`${started.baseUrl}/sign-in`)).status).toBe(200);
    const origin = new URL(started.baseUrl).origin;
    const signUp = await started.fetch(`${started.baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `v1-${randomUUID()}@example.com`,
        password: 'correct horse battery',
        name: 'V',
      }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .join('; ');
    const created = await started.fetch(`${started.baseUrl}/api/tasks`, {
      method: 'POST',
      headers: { origin, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'runs on Compose v1.29' }),
    });
    expect(created.status).toBe(201);
    const list = await started.fetch(`${started.baseUrl}/api/tasks`, { headers: { origin, cookie } });
    expect(JSON.stringify(await list.json())).toContain('runs on Compose v1.29');
  });

  it('leaves no container, network or volume behind after down', async () => {
    await rehearsal?.down();
    expect(await projectLeftovers(projectName)).toEqual([]);
  });
});
