// Library entry for the harness and other workspaces: build the API without listening.
export { buildApp, version, type BuildOptions } from './app.ts';
export { loadConfig, ConfigError, type Config } from './config/index.ts';
export { migrate } from './migrations/index.ts';
