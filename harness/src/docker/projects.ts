// Compose projects as Docker sees them: the containers, networks and volumes
// carrying a project's label. Needs no compose file, so it works the same with
// either Compose flavour and for a project whose run has died.
import { containerIds, projectLabel, removeContainers } from './containers.ts';
import { engine } from './engine.ts';

const labelOf = (projectName: string) => `${projectLabel}=${projectName}`;

async function networks(
  labels: string[],
): Promise<{ id: string; name: string; labels: Record<string, string> }[]> {
  const listed = await engine().listNetworks({ filters: { label: labels } });
  return listed.map((network) => ({ id: network.Id, name: network.Name, labels: network.Labels ?? {} }));
}

/** Volumes carrying these labels (`name` or `name=value`), with their labels. */
export async function labelledVolumes(
  labels: string[],
): Promise<{ name: string; labels: Record<string, string> }[]> {
  const { Volumes } = await engine().listVolumes({ filters: { label: labels } });
  // Older engines answer null for none.
  if (!Array.isArray(Volumes)) return [];
  return Volumes.map((volume) => ({ name: volume.Name, labels: { ...volume.Labels } }));
}

/** A bridge network for containers to reach each other by name. */
export async function createNetwork(name: string, labels: Record<string, string>): Promise<void> {
  await engine().createNetwork({ Name: name, Labels: labels });
}

export async function createVolume(name: string, labels: Record<string, string>): Promise<void> {
  await engine().createVolume({ Name: name, Labels: labels });
}

export async function removeVolume(name: string): Promise<void> {
  await engine()
    .getVolume(name)
    .remove({ force: true })
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    });
}

/**
 * Compose projects with containers, networks or volumes left (a half-removed
 * project may have only the latter), those with containers first, ordered by
 * their oldest container's creation.
 */
export async function listProjects(): Promise<string[]> {
  const containers = await engine().listContainers({ all: true, filters: { label: [projectLabel] } });
  const byAge = containers.sort((a, b) => a.Created - b.Created).map((c) => c.Labels[projectLabel] ?? '');
  const others = [
    ...(await networks([projectLabel])).map((network) => network.labels[projectLabel] ?? ''),
    ...(await labelledVolumes([projectLabel])).map((volume) => volume.labels[projectLabel] ?? ''),
  ];
  return [...new Set([...byAge, ...others])].filter(Boolean);
}

/**
 * Removes everything of a project by its label: containers (with anonymous
 * volumes), networks, named volumes. Every step is tried even when one fails,
 * so a stuck network does not keep the data volume; the first failure is thrown.
 */
export async function removeProject(projectName: string): Promise<void> {
  const label = [labelOf(projectName)];
  const steps = [
    async () => removeContainers(await containerIds(label)),
    async () => {
      for (const network of await networks(label)) await engine().getNetwork(network.id).remove();
    },
    async () => {
      for (const volume of await labelledVolumes(label)) await removeVolume(volume.name);
    },
  ];
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failures.push(error));
  if (failures.length) throw failures[0];
}

/** What is left of a project: `container <name>`, `network <name>`, `volume <name>`. */
export async function projectLeftovers(projectName: string): Promise<string[]> {
  const label = [labelOf(projectName)];
  const containers = await engine().listContainers({ all: true, filters: { label } });
  return [
    ...containers.map((c) => `container ${(c.Names[0] ?? c.Id).replace(/^\//, '')}`),
    ...(await networks(label)).map((network) => `network ${network.name}`),
    ...(await labelledVolumes(label)).map((volume) => `volume ${volume.name}`),
  ];
}
