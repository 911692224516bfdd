export { metrics, type Exposition } from './plugin.ts';
export { startMetricsServer } from './server.ts';
