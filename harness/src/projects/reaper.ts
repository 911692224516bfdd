// One reaper for everything the harness starts: compose projects claimed by a
// process that is gone, and single containers labelled with such an owner.
import {
  labelledContainers,
  labelledVolumes,
  projectLabel,
  removeContainers,
  removeProject,
} from '../docker/index.ts';
import { ownerIsGone, ownerLabel } from './ownership.ts';

export interface Reaped {
  /** Compose projects removed. */
  projects: string[];
  /** Single containers removed. */
  containers: number;
}

/** Removes what runs that died left behind; live runs' stacks and containers are kept. */
export async function reapOrphans(): Promise<Reaped> {
  const markers = await labelledVolumes([ownerLabel, projectLabel]).catch(() => []);
  const projects = [
    ...new Set(
      markers
        .filter((marker) => ownerIsGone(marker.labels[ownerLabel] ?? ''))
        .map((marker) => marker.labels[projectLabel] ?? '')
        .filter(Boolean),
    ),
  ];
  const removed: string[] = [];
  // Best effort: a concurrent run may be removing the same orphan.
  for (const project of projects) {
    await removeProject(project).then(
      () => removed.push(project),
      () => undefined,
    );
  }
  const containers = (await labelledContainers(ownerLabel).catch(() => []))
    .filter((container) => ownerIsGone(container.value))
    .map((container) => container.id);
  await removeContainers(containers).catch(() => undefined);
  return { projects: removed, containers: containers.length };
}
