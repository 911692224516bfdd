// Library entry: what other workspaces (tests, benchmarks) may use from the harness.
export {
  baseImages,
  officialImages,
  overridesFile,
  usingOfflineImages,
  type BaseImages,
} from './images/index.ts';
export { ownerLabel, ownerValue, prepareTestcontainers, removeOrphans } from './containers/index.ts';
export { repoRoot } from './paths.ts';
export {
  freePort,
  startLocalStack,
  type LocalStackOptions,
  type StartedLocalStack,
} from './local-stack/index.ts';
export { buildAppImages, buildImage, imageTag, type AppImage, type BuiltImage } from './images/index.ts';
export {
  composeVersion,
  projectLeftovers,
  removeOrphanStacks,
  removeProject,
  stackProjectName,
  startRehearsal,
  upStack,
  type ComposeFile,
  type StartedRehearsal,
  type StartedStack,
} from './stack/index.ts';
