export {
  localEnvironmentNamespace,
  localEnvironmentPort,
  localEnvironmentUrl,
  runKubernetesPromote,
  type KubernetesPromoteOptions,
} from './kubernetes.ts';
export { runPromote, type PromoteOptions, type PromoteResult } from './run.ts';
export type { PlannedCall } from './plan.ts';
export type { PromotionRecord } from './record.ts';
export type { ServingCheck } from './serving.ts';
export {
  environments,
  RailwayTarget,
  railwaySettings,
  renderBlueprint,
  RenderTarget,
  VercelTarget,
  type Environment,
} from './targets/index.ts';
export { PromotionRefused, verifyReport } from './verify.ts';
