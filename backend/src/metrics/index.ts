export { metrics } from './plugin.ts';
