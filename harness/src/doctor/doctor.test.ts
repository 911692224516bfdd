import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('names the env file line that is not NAME=value, and a short AUTH_SECRET', async () => {
    const broken = join(dir, 'broken.env');
    await writeFile(broken, '# comment\nPOSTGRES_PASSWORD=x\nthis is not a variable\n');
    const short = join(dir, 'short.env');
    await writeFile(short, 'POSTGRES_PASSWORD=x\nDATABASE_URL=postgres://a@b/c\nAUTH_SECRET=tooshort\n');
    expect(checkEnvFiles({ REHEARSAL_SECRETS: broken }).find((f) => f.detail.includes(broken))).toMatchObject(
      {
        status: 'fail',
        detail: `${broken}: line 3 is not NAME=value`,
      },
    );
    expect(checkEnvFiles({ REHEARSAL_SECRETS: short }).find((f) => f.detail.includes(short))).toMatchObject({
      status: 'fail',
      detail: `${short}: AUTH_SECRET is shorter than 32 characters`,
    });
    expect(checkEnvFiles({ REHEARSAL_SECRETS: join(dir, 'missing.env') }).at(-1)?.status).toBe('fail');
  });
});
