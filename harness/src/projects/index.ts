export { devProjectName, isHarnessProject, isKeptProject, projectName, type ProjectKind } from './names.ts';
export { startOwnedCompose } from './owned-compose.ts';
export { claimProject, ownerIsGone, ownerLabel, ownerLabels, releaseProject } from './ownership.ts';
export { reapOrphans, type Reaped } from './reaper.ts';
