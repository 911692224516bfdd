export { runKubernetesPromote } from './kubernetes.ts';
export {
  localEnvironmentNamespace,
  localEnvironmentPort,
  localEnvironmentUrl,
  type KubernetesPromoteOptions,
} from './kubernetes-where.ts';
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
