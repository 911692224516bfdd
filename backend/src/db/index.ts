export { createPool, type Db, type PoolOptions } from './pool.ts';
export { migrate, migrationsDir } from './migrate.ts';
