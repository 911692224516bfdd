// The one way to Docker: the Engine API, the docker command line and
// testcontainers all sit behind this folder.
export { docker, DockerCommandError, dockerStreaming } from './cli.ts';
export {
  composeArgv,
  composeChoice,
  composeCommand,
  composeConfig,
  composeFlavour,
  composeVersion,
  type ComposeChoice,
  type ComposeFile,
  type ComposeFlavour,
} from './compose.ts';
export {
  auxiliaryLabel,
  cloneWithPublishedPort,
  containerIds,
  containerLogs,
  execIn,
  inspectContainer,
  labelledContainers,
  logTail,
  printLogs,
  projectContainers,
  projectLabel,
  projectSnapshot,
  removeContainers,
  runContainer,
  serviceLabel,
  startContainer,
  stopContainer,
  waitForExit,
  type ContainerSnapshot,
  type RunRequest,
  type ServiceContainer,
} from './containers.ts';
export { engineInfo, type EngineInfo } from './engine.ts';
export {
  cpuLimit,
  crashMainProcess,
  pauseContainer,
  restartContainer,
  setCpuLimit,
  unpauseContainer,
} from './faults.ts';
export { followContainerEvents, type ContainerEvent, type EventFeed } from './events.ts';
export {
  buildImage,
  copyFromImage,
  forgetRegistryNames,
  imageId,
  imageMetadata,
  inspectImage,
  listImages,
  pullImage,
  pushImage,
  removeImage,
  removeImages,
  runImage,
  saveImage,
  tagImage,
  tryPull,
  builderChoice,
  forClassicBuilder,
  pruneBuildCache,
  imageBuilder,
  type BuildRequest,
  type Builder,
  type BuilderChoice,
  type ImageMetadata,
} from './images.ts';
export {
  createNetwork,
  createVolume,
  labelledVolumes,
  listProjects,
  projectLeftovers,
  removeProject,
  removeVolume,
} from './projects.ts';
export { containerUsage, usageFrom, type UsageSample } from './stats.ts';
export {
  ComposeUpFailed,
  composeUp,
  prepareTestcontainers,
  startPostgres,
  startRedis,
  type ComposeUpOptions,
  type StartedCompose,
  type StartedService,
} from './testcontainers.ts';
