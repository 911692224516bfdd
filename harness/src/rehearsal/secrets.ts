import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Fresh secrets for one rehearsal, in an env file only this user can read (see deploy/rehearsal.secrets.example). */
export async function writeSecrets(): Promise<{ file: string; remove: () => Promise<void> }> {
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
