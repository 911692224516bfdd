export {
  composeVersion,
  listProjects,
  projectLeftovers,
  removeOrphanStacks,
  removeProject,
  stackProjectName,
  upStack,
  type ComposeFile,
  type StackOptions,
  type StartedStack,
} from './compose.ts';
export {
  readCaCertificate,
  startRehearsal,
  type RehearsalOptions,
  type StartedRehearsal,
} from './rehearsal.ts';
export { diagnoseStart, logTail, projectContainers, type ServiceContainer } from './inspect.ts';
export {
  ServiceFailed,
  startupSeconds,
  watchStack,
  type ServiceTimeline,
  type StackWatcher,
} from './watch.ts';
