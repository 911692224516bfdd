// A prod-like stack of these images: start, wait, endpoints, CA, secrets,
// logs, CPU and memory, remove. sim, up --rehearsal, load and the benchmarks use it.
export { startRehearsalForCommand } from './for-command.ts';
export {
  findKeptRehearsal,
  keptCaFile,
  keptProjects,
  removeKeptRehearsals,
  writeKeptCa,
  type KeptRehearsal,
} from './kept.ts';
export { readProjectLogs, writeLogs } from './logs.ts';
export { rehearsalDefaults, rehearsalFile } from './settings.ts';
export { RehearsalStartFailed } from './start-failure.ts';
export {
  readCaCertificate,
  startRehearsal,
  type RehearsalImages,
  type RehearsalOptions,
  type StartedRehearsal,
} from './start.ts';
export { fetchTrusting, type TrustedFetch } from './trusted-fetch.ts';
export { sampleUsage, summarizeUsage, type ServiceUsage, type UsageSampler } from './usage.ts';
export {
  ServiceFailed,
  startupSeconds,
  watchStack,
  type ServiceTimeline,
  type StackWatcher,
} from './watch.ts';
