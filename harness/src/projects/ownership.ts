// Who owns what the harness starts, so the stacks and containers of a run that
// died (a crash, kill -9) can be told from those of a live run, including a
// concurrent one, or one started from another machine or container that shares
// this Docker engine. The owner is one label value: <pid>@<host>.
import { hostname } from 'node:os';
import { createVolume, projectLabel, removeVolume } from '../docker/index.ts';

export const ownerLabel = 'todo-rehearsal.owner';
const owner = `${process.pid}@${hostname()}`;

/** Labels for a container this process starts and answers for. */
export const ownerLabels = (): Record<string, string> => ({ [ownerLabel]: owner });

/** Whether the process an owner label names is gone: on this host only (another host's is not ours to judge). */
export function ownerIsGone(value: string): boolean {
  const at = value.lastIndexOf('@');
  const pid = Number(value.slice(0, at));
  if (at < 1 || value.slice(at + 1) !== hostname() || !Number.isInteger(pid)) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, but another user's process.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const markerOf = (projectName: string) => `${projectName}_owner`;

/**
 * Records that this process owns a compose project, before it starts: a
 * volume in the project carrying the owner label (Compose leaves volumes it
 * did not declare alone; removing the project removes it too).
 */
export async function claimProject(projectName: string): Promise<void> {
  await createVolume(markerOf(projectName), { [projectLabel]: projectName, ...ownerLabels() });
}

/** This process no longer answers for the project: it is the user's now (kept), or gone. */
export async function releaseProject(projectName: string): Promise<void> {
  await removeVolume(markerOf(projectName));
}
