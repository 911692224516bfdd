// The table of platforms promotion can deploy to, by the name PROMOTE_BACKEND
// or PROMOTE_FRONTEND gives. A platform is one file of targets/ exporting its
// definition (name, variables, how it is made, its calls); its line here is
// all config.ts ever learns of it.
import { railway } from './railway.ts';
import { render } from './render.ts';
import type { BackendTarget, FrontendTarget, TargetDefinition } from './target.ts';
import { vercel } from './vercel.ts';

export const backendTargets: readonly TargetDefinition<BackendTarget>[] = [railway, render];
export const frontendTargets: readonly TargetDefinition<FrontendTarget>[] = [vercel];

export { RailwayTarget, railwaySettings } from './railway.ts';
export { renderBlueprint, RenderTarget } from './render.ts';
export {
  DeployFailed,
  environments,
  type BackendTarget,
  type Environment,
  type FrontendTarget,
  type Release,
  type Target,
  type TargetDefinition,
  type TargetVariable,
} from './target.ts';
export { outputDigest, outputFiles, VercelTarget } from './vercel.ts';
export {
  artefactDigests,
  KubernetesTarget,
  type KubernetesArtefact,
  type KubernetesTargetOptions,
} from './kubernetes.ts';
