import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEnvFiles, checkNode } from './checks.ts';
import { formatFinding } from './index.ts';

describe('doctor', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doctor-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asks for Node 24 with how to get it', () => {
    expect(formatFinding(checkNode('22.3.0'))).toBe(
      'FAIL  node        Node 22.3.0; this repository needs Node 24.7 or a later 24.x — install Node 24 (npm run provision does it on Debian/Ubuntu, or use nvm install 24)',
    );
    expect(checkNode('24.1.0').status).toBe('fail');
    expect(checkNode('24.7.0').status).toBe('ok');
    expect(checkNode('24.22.3').status).toBe('ok');
  });

  it('names the env file line that is not NAME=value, a short AUTH_SECRET and a missing service file', async () => {
    const secrets = async (name: string, files: Record<string, string>) => {
      const folder = join(dir, name);
      await mkdir(folder, { recursive: true });
      for (const [file, text] of Object.entries(files)) await writeFile(join(folder, file), text);
      return folder;
    };
    const complete = {
      'postgres.env': 'POSTGRES_PASSWORD=x\n',
      'redis.env': 'REDIS_PASSWORD=y\n',
      'backend.env': `DATABASE_URL=postgres://a@b/c\nREDIS_URL=redis://:y@redis:6379\nAUTH_SECRET=${'s'.repeat(32)}\n`,
    };
    const broken = await secrets('broken', {
      ...complete,
      'postgres.env': '# comment\nPOSTGRES_PASSWORD=x\nthis is not a variable\n',
    });
    expect(checkEnvFiles({ REHEARSAL_SECRETS: broken }).find((f) => f.status === 'fail')).toMatchObject({
      detail: `${join(broken, 'postgres.env')}: line 3 is not NAME=value`,
    });
    const short = await secrets('short', {
      ...complete,
      'backend.env': 'DATABASE_URL=postgres://a@b/c\nREDIS_URL=redis://r\nAUTH_SECRET=tooshort\n',
    });
    expect(checkEnvFiles({ REHEARSAL_SECRETS: short }).find((f) => f.status === 'fail')).toMatchObject({
      detail: `${join(short, 'backend.env')}: AUTH_SECRET is shorter than 32 characters`,
    });
    const noRedis = await secrets('no-redis', {
      'postgres.env': complete['postgres.env'],
      'backend.env': complete['backend.env'],
    });
    expect(checkEnvFiles({ REHEARSAL_SECRETS: noRedis }).find((f) => f.status === 'fail')).toMatchObject({
      detail: `${join(noRedis, 'redis.env')} does not exist`,
    });
    const good = await secrets('good', complete);
    expect(checkEnvFiles({ REHEARSAL_SECRETS: good }).filter((f) => f.status === 'fail')).toEqual([]);
    expect(
      checkEnvFiles({ REHEARSAL_SECRETS: join(dir, 'missing') }).find((f) => f.status === 'fail')?.detail,
    ).toMatch(/is not a folder/);
  });
});
