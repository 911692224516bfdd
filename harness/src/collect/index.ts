export { saveLogs } from './logs.ts';
export { parseSize, sampleStats, type ServiceUsage, type StatsSampler } from './stats.ts';
