export {
  composeVersion,
  projectLeftovers,
  removeOrphanStacks,
  removeProject,
  stackProjectName,
  upStack,
  type ComposeFile,
  type StackOptions,
  type StartedStack,
} from './compose.ts';
export { startRehearsal, type RehearsalOptions, type StartedRehearsal } from './rehearsal.ts';
