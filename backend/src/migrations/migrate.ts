import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

// backend/migrations, seen from src/db/ (sources) or from dist/ (the bundle).
export const migrationsDir =
  ['../../migrations', '../migrations']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../migrations', import.meta.url));

export interface MigrateOptions {
  databaseUrl: string;
  log?: (message: string) => void;
}

/**
 * Applies every pending migration in one transaction under node-pg-migrate's
 * advisory lock, so concurrent runs wait for each other and a second run is a no-op.
 * Returns the names of the migrations it applied.
 */
export async function migrate({ databaseUrl, log = () => undefined }: MigrateOptions): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    checkOrder: true,
    singleTransaction: true,
    // A second runner (another deploy, a retried job) waits for the first instead of failing.
    advisoryLockMode: 'wait',
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  return applied.map((m) => m.name);
}
