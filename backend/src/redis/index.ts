export { RedisConnection } from './connection.ts';
