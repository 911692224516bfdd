export { loadConfig, ConfigError } from './load.ts';
export type { Config } from './schema.ts';
export { isTimeZone } from './schema.ts';
