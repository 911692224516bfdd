export { loadConfig, ConfigError } from './load.ts';
export type { Config } from './schema.ts';
export { dayFormatIn, isTimeZone } from './time-zones.ts';
