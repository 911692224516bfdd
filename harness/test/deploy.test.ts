import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImage, repoRoot } from '../src/index.ts';
import { parseBackendUrl, writeVercelOutput } from '../src/deploy/vercel-output.ts';
import { docker } from './docker.ts';

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found.set(
      relative(dir, path),
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  }
  return found;
}

describe('deploy/railway.json', () => {
  let backendImage: string;
  let railway: { deploy: Record<string, unknown> };
  beforeAll(async () => {
    backendImage = (await buildImage('backend')).tag;
    railway = JSON.parse(await readFile(join(repoRoot, 'deploy/railway.json'), 'utf8')) as typeof railway;
  });

  it('starts the image the way its own CMD does, and migrates before the replicas start', async () => {
    const cmd = JSON.parse(
      await docker('inspect', '--format', '{{json .Config.Cmd}}', backendImage),
    ) as string[];
    expect(railway.deploy.startCommand).toBe(cmd.join(' '));
    expect(railway.deploy.preDeployCommand).toEqual(['node dist/migrate.mjs']);
    // The migration entry is in the image, and refuses to run without a database (it does not crash).
    const output = await docker(
      'run',
      '--rm',
      backendImage,
      'sh',
      '-c',
      'node dist/migrate.mjs 2>&1; echo "exit $?"',
    );
    expect(output).toContain('DATABASE_URL is required');
  });

  it('checks readiness (Postgres reachable) and runs two replicas that restart on failure', () => {
    expect(railway.deploy).toMatchObject({
      healthcheckPath: '/ready',
      numReplicas: 2,
      restartPolicyType: 'ON_FAILURE',
    });
  });
});

describe('the Vercel Build Output', () => {
  it('is the frontend image’s own files, with /api/* rewritten to the backend and the SPA fallback last', async () => {
    const image = (await buildImage('frontend')).tag;
    const outDir = join(await mkdtemp(join(tmpdir(), 'vercel-')), 'output');
    await writeVercelOutput({
      image,
      backendUrl: 'https://api.example.com',
      outDir,
      caddyfile: join(repoRoot, 'frontend/Caddyfile'),
    });

    const served = new Map(
      (await docker('run', '--rm', image, 'sh', '-c', 'cd /srv && find . -type f -exec sha256sum {} +'))
        .trim()
        .split('\n')
        .map((line) => {
          const [hash = '', path = ''] = line.trim().split(/\s+/);
          return [path.replace(/^\.\//, ''), hash] as const;
        }),
    );
    const deployed = await filesUnder(join(outDir, 'static'));
    expect(deployed).toEqual(served);
    expect([...deployed.keys()].filter((path) => path.endsWith('.map'))).toEqual([]);

    const config = JSON.parse(await readFile(join(outDir, 'config.json'), 'utf8')) as {
      version: number;
      routes: Record<string, unknown>[];
    };
    expect(config.version).toBe(3);
    expect(config.routes[0]).toEqual({ src: '/api/(.*)', dest: 'https://api.example.com/api/$1' });
    expect(config.routes.findIndex((route) => route.handle === 'filesystem')).toBe(config.routes.length - 2);
    expect(config.routes.at(-1)).toMatchObject({ src: '/(.*)', dest: '/index.html' });
  });

  it('refuses a backend URL that is not an https origin, saying why', () => {
    expect(() => parseBackendUrl(undefined)).toThrow(/required/);
    expect(() => parseBackendUrl('api.example.com')).toThrow(/not a URL/);
    expect(() => parseBackendUrl('http://api.example.com')).toThrow(/https/);
    expect(() => parseBackendUrl('https://api.example.com/v1')).toThrow(/without a path/);
  });
});
