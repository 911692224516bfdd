/* eslint-disable no-console -- a benchmark reports on stdout */
import { baseImages, ownerLabels, prepareTestcontainers, reapOrphans } from '@todo/harness';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, Wait } from 'testcontainers';
import { migrate } from '../src/migrations/index.ts';

export interface BenchDatabases extends AsyncDisposable {
  images: ReturnType<typeof baseImages>;
  /** Migrated. */
  databaseUrl: string;
  /** The same database as a container on the default bridge reaches it. */
  databaseUrlForContainers: string;
  redisUrl: string;
  redisUrlForContainers: string;
}

/** Postgres (migrated) and Redis in labelled containers, after removing a crashed run's leftovers. */
export async function startDatabases(): Promise<BenchDatabases> {
  prepareTestcontainers();
  await reapOrphans();
  const images = baseImages();
  const labels = ownerLabels();
  console.log('starting Postgres and Redis');
  const postgres = await new PostgreSqlContainer(images.POSTGRES_IMAGE).withLabels(labels).start();
  const redis = await new GenericContainer(images.REDIS_IMAGE)
    .withExposedPorts(6379)
    .withLabels(labels)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start()
    .catch(async (error: unknown) => {
      await postgres.stop();
      throw error;
    });
  const databaseUrl = postgres.getConnectionUri();
  const stopBoth = async () => {
    await Promise.allSettled([postgres.stop(), redis.stop()]);
  };
  await migrate({ databaseUrl }).catch(async (error: unknown) => {
    await stopBoth();
    throw error;
  });
  const inside = new URL(databaseUrl);
  inside.hostname = postgres.getIpAddress('bridge');
  inside.port = '5432';
  return {
    images,
    databaseUrl,
    databaseUrlForContainers: inside.toString(),
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    redisUrlForContainers: `redis://${redis.getIpAddress('bridge')}:6379`,
    [Symbol.asyncDispose]: stopBoth,
  };
}
