import { reapOrphans } from '@todo/harness';
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
  await reapOrphans();
  const started = await Promise.allSettled([startPostgres(), startRedis()]);
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(running.map((container) => container.stop()));
  };
  const [postgres, redis] = started;
  if (postgres.status === 'rejected' || redis.status === 'rejected') {
    await stop();
    throw postgres.status === 'rejected' ? postgres.reason : (redis as PromiseRejectedResult).reason;
  }
  try {
    await createTemplate(postgres.value.getConnectionUri());
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('postgresUrl', postgres.value.getConnectionUri());
  project.provide('redisUrl', redisUrl(redis.value));
  return stop;
}
