// Library entry: what other workspaces (tests, benchmarks) may use from the harness.
export {
  composeFlavour,
  composeVersion,
  containerLogs,
  imageBuilder,
  pruneBuildCache,
  containerUsage,
  execIn,
  imageId,
  inspectImage,
  listImages,
  projectContainers,
  inspectContainer,
  projectLeftovers,
  removeContainers,
  removeImages,
  runContainer,
  runImage,
  startContainer,
  stopContainer,
  type ServiceContainer,
} from './docker/index.ts';
export {
  appImages,
  baseImages,
  buildAppImages,
  buildImage,
  imageTag,
  officialImages,
  overridesFile,
  usingOfflineImages,
  type AppImage,
  type BaseImages,
  type BuiltImage,
} from './images/index.ts';
export {
  prepareTestcontainers,
  startLocalStack,
  type LocalStackOptions,
  type StartedLocalStack,
} from './local-stack/index.ts';
export { repoRoot } from './paths.ts';
export { configHash } from './provenance/index.ts';
export { freePort } from './ports.ts';
export {
  ownerLabel,
  ownerLabels,
  projectName,
  reapOrphans,
  startOwnedCompose,
  type ProjectKind,
} from './projects/index.ts';
export {
  rehearsalDefaults,
  startRehearsal,
  startRehearsalForCommand,
  type StartedRehearsal,
} from './rehearsal/index.ts';
export { newSigningKeys, signBytes } from './report/index.ts';
export { startPlatforms, type Platforms } from './standins/index.ts';
