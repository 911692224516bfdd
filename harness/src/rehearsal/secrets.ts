import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** What each service of the rehearsal is given, by env file (see deploy/rehearsal-secrets.example). */
export const secretFiles = {
  'postgres.env': ['POSTGRES_PASSWORD'],
  'redis.env': ['REDIS_PASSWORD'],
  'backend.env': ['DATABASE_URL', 'REDIS_URL', 'AUTH_SECRET'],
} as const;

/**
 * Fresh secrets for one rehearsal: a folder only this user can read, an env
 * file per service, each holding only what that service needs.
 */
export async function writeSecrets(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-rehearsal-'));
  const postgres = secret(24);
  const redis = secret(24);
  const files: Record<keyof typeof secretFiles, string[]> = {
    'postgres.env': ['POSTGRES_USER=todo', `POSTGRES_PASSWORD=${postgres}`, 'POSTGRES_DB=todo'],
    'redis.env': [`REDIS_PASSWORD=${redis}`],
    'backend.env': [
      `DATABASE_URL=postgres://todo:${postgres}@postgres:5432/todo`,
      `REDIS_URL=redis://:${redis}@redis:6379`,
      `AUTH_SECRET=${secret(48)}`,
    ],
  };
  for (const [name, lines] of Object.entries(files)) {
    await writeFile(join(dir, name), `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
