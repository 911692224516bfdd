import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { usingOfflineImages } from '../images/index.ts';

const run = promisify(execFile);

/** Label on every container a run of ours starts: `<pid>@<host>` of the process that owns it. */
export const ownerLabel = 'todo-rehearsal.owner';
export const ownerValue = `${process.pid}@${hostname()}`;

/**
 * testcontainers defaults for a machine without an image registry: Ryuk (the
 * reaper) cannot be pulled, so it is off and we clean up by label ourselves;
 * the host override skips a probe that would pull alpine. A developer's own
 * settings win.
 */
export function prepareTestcontainers(env: NodeJS.ProcessEnv = process.env): void {
  env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  if (usingOfflineImages()) env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

/** Whether no process with this pid runs on this machine. */
export function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, but another user's process.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function ownerIsGone(owner: string): boolean {
  const [pid, host] = owner.split('@');
  if (host !== hostname() || !pid) return false;
  return processIsGone(Number(pid));
}

/**
 * Removes containers left behind by runs whose process has died (a crash, a
 * kill -9). Containers of live runs, including concurrent ones, are kept.
 * Returns how many were removed.
 */
export async function removeOrphans(): Promise<number> {
  const { stdout } = await run('docker', [
    'ps',
    '-a',
    '--filter',
    `label=${ownerLabel}`,
    '--format',
    `{{.ID}} {{.Label "${ownerLabel}"}}`,
  ]);
  const orphans = stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([id, owner]) => id && owner && ownerIsGone(owner))
    .map(([id]) => id as string);
  if (orphans.length > 0) await run('docker', ['rm', '-f', '-v', ...orphans]);
  return orphans.length;
}
