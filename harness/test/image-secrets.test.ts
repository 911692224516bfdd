// Secrets never reach an image: the three images as the harness builds them
// hold no secret-like file, value or build step, and the build context keeps
// secrets out at any depth (a context with planted secrets, built with and
// without the repository's .dockerignore, shows the scan would catch them).
import { randomUUID } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage as dockerBuild, removeImage } from '../src/docker/index.ts';
import {
  appImages,
  baseImages,
  buildImage,
  localSecrets,
  recipes,
  scanImage,
  type AppImage,
} from '../src/images/index.ts';
import { repoRoot } from '../src/paths.ts';

const pemKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Secrets where a developer's checkout could hold them, each in a folder an image build reads. */
const planted: Record<string, string> = {
  'backend/some/.env': 'AUTH_SECRET=planted-auth-secret-0123456789\n',
  'frontend/.env.production': 'API_TOKEN=planted-token-0123456789\n',
  'harness/.env.local': 'POSTGRES_PASSWORD=planted-password-0123\n',
  'backend/secrets/backend.env': 'REDIS_URL=redis://:planted@redis:6379\nREDIS_PASSWORD=planted-redis-0123\n',
  'backend/certs/server.key': pemKey,
  'proxy/tls/deploy.pem': pemKey,
  'backend/.ssh/id_ed25519': pemKey,
  '.gate/signing-key.pem': pemKey,
  '.platforms.env': 'RAILWAY_TOKEN=planted-railway-token-01\n',
  'frontend/.npmrc': '//example.invalid/:_authToken=planted-npm-token\n',
};
/** A file each image's own layers hold: the scan read them. */
const ownFile: Record<AppImage, string> = {
  backend: 'app/dist/main.mjs',
  frontend: 'srv/index.html',
  proxy: 'etc/caddy/Caddyfile',
};
/** What the context must still carry. */
const kept = ['backend/.env.example', 'backend/src/app.ts'];

describe('secrets in images', () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const image of made) await removeImage(image);
  });

  it.each(appImages)(
    'the %s image holds no secret-like file, value or build step',
    async (image) => {
      const built = await buildImage(image);
      const bases = baseImages();
      const scan = await scanImage(
        built.tag,
        localSecrets(),
        recipes[image].bases.map((base) => bases[base]),
      );
      expect(scan.layers).toBeGreaterThan(0);
      expect(scan.paths).toContain(ownFile[image]);
      expect(scan.findings).toEqual([]);
      expect(scan.metadata).toEqual([]);
    },
    600_000,
  );

  /** An image of a context holding the planted secrets and the kept files: `COPY . /context/`. */
  async function contextImage(withDockerignore: boolean): Promise<Awaited<ReturnType<typeof scanImage>>> {
    const dir = mkdtempSync(join(tmpdir(), 'context-'));
    try {
      const files = { ...planted, ...Object.fromEntries(kept.map((path) => [path, 'x\n'])) };
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      if (withDockerignore) copyFileSync(join(repoRoot, '.dockerignore'), join(dir, '.dockerignore'));
      writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /context/\n');
      const tag = `todo-secret-probe:${randomUUID().slice(0, 8)}`;
      await dockerBuild({ dockerfile: join(dir, 'Dockerfile'), context: dir, tag, buildArgs: {} });
      made.push(tag);
      return await scanImage(tag);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('keeps secrets out of the build context at any depth (.dockerignore)', async () => {
    const scan = await contextImage(true);
    expect(scan.findings).toEqual([]);
    for (const path of kept) expect(scan.paths).toContain(`context/${path}`);
  });

  it('would find every planted secret if the context let it in', async () => {
    const scan = await contextImage(false);
    const places = new Set(scan.findings.map((finding) => finding.place));
    expect([...places].sort()).toEqual(
      Object.keys(planted)
        .map((path) => `/context/${path}`)
        .sort(),
    );
  });
});
