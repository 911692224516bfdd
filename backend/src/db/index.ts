export { createPool, type Db, type PoolOptions } from './pool.ts';
