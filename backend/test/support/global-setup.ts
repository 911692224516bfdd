import { removeOrphans } from '@todo/harness';
import type { TestProject } from 'vitest/node';
import { redisUrl, startPostgres, startRedis } from './containers.ts';
import { createTemplate } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
  }
}

/** One Postgres and one Redis for the whole run; each test file gets its own database and key prefix. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await removeOrphans();
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  await createTemplate(postgres.getConnectionUri());
  project.provide('postgresUrl', postgres.getConnectionUri());
  project.provide('redisUrl', redisUrl(redis));
  return async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
  };
}
