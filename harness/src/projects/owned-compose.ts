import { composeUp, removeProject, type ComposeUpOptions, type StartedCompose } from '../docker/index.ts';
import { claimProject } from './ownership.ts';
import { reapOrphans } from './reaper.ts';

/**
 * A compose project this process owns: claimed before it starts (so the
 * reaper can tell if this process dies), and removed whole, marker and all,
 * by down() or when the start fails. Orphans of dead runs are reaped first.
 */
export async function startOwnedCompose(options: ComposeUpOptions): Promise<StartedCompose> {
  // What runs that died left behind goes first: it holds memory and ports the new stack needs.
  await reapOrphans();
  await claimProject(options.projectName);
  let started: StartedCompose;
  try {
    started = await composeUp(options);
  } catch (error) {
    await removeProject(options.projectName).catch(() => undefined);
    throw error;
  }
  return {
    ...started,
    down: async () => {
      // Compose cannot remove a network a container it did not start still uses (a benchmark's
      // extra replica); the project's removal by label takes that too, and the owner's marker.
      await started.down().catch(() => undefined);
      await removeProject(options.projectName);
    },
  };
}
