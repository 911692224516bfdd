import { baseImages, ownerLabels, prepareTestcontainers } from '@todo/harness';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';

prepareTestcontainers();
const images = baseImages();
const labels = ownerLabels();

/** Postgres tuned for tests: durability off (nothing here must survive a crash). */
export function startPostgres(): Promise<StartedPostgreSqlContainer> {
  return new PostgreSqlContainer(images.POSTGRES_IMAGE)
    .withDatabase('postgres')
    .withUsername('todo')
    .withPassword('todo')
    .withLabels(labels)
    .withCommand([
      'postgres',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=400',
    ])
    .start();
}

export function startRedis(): Promise<StartedTestContainer> {
  return new GenericContainer(images.REDIS_IMAGE)
    .withExposedPorts(6379)
    .withLabels(labels)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
}

export function redisUrl(container: StartedTestContainer): string {
  return `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
}
