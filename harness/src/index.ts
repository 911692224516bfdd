// Library entry: what other workspaces (tests, benchmarks) may use from the harness.
export {
  baseImages,
  officialImages,
  overridesFile,
  usingOfflineImages,
  type BaseImages,
} from './images/overrides.ts';
export { ownerLabel, ownerValue, prepareTestcontainers, removeOrphans } from './containers/testcontainers.ts';
export { repoRoot } from './paths.ts';
export {
  freePort,
  startLocalStack,
  type LocalStackOptions,
  type StartedLocalStack,
} from './local-stack/index.ts';
