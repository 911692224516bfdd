import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseImages, ownerLabel, projectLeftovers, reapOrphans } from '../src/index.ts';
import { docker } from './docker.ts';

const run = promisify(execFile);

/** A project as a run leaves it: network, volume, a container, and its owner's marker. */
async function leftProject(project: string, owner: string): Promise<void> {
  const label = `com.docker.compose.project=${project}`;
  await docker('network', 'create', '--label', label, `${project}_default`);
  await docker('volume', 'create', '--label', label, `${project}_data`);
  await docker('volume', 'create', '--label', label, '--label', `${ownerLabel}=${owner}`, `${project}_owner`);
  await docker(
    'create',
    '--label',
    label,
    '--network',
    `${project}_default`,
    '-v',
    `${project}_data:/data`,
    baseImages().REDIS_IMAGE,
  );
}

describe('what a run that died leaves behind', () => {
  it('is removed (containers, network, volumes); a live run’s and another host’s are kept', async () => {
    // A pid that is certainly gone: a child that already exited.
    const child = await run(process.execPath, ['-p', 'process.pid']);
    const dead = `${child.stdout.trim()}@${hostname()}`;
    const projects = {
      dead: `todo-test-orphan${Date.now()}`,
      alive: `todo-test-alive${Date.now()}`,
      elsewhere: `todo-test-elsewhere${Date.now()}`,
    };
    await leftProject(projects.dead, dead);
    await leftProject(projects.alive, `${process.pid}@${hostname()}`);
    // Same pid, another machine sharing this engine: not ours to judge.
    await leftProject(projects.elsewhere, `${child.stdout.trim()}@another-host`);
    const single = (
      await docker('create', '--label', `${ownerLabel}=${dead}`, baseImages().REDIS_IMAGE)
    ).trim();
    try {
      const reaped = await reapOrphans();
      expect(reaped.projects).toContain(projects.dead);
      expect(reaped.projects).not.toContain(projects.alive);
      expect(reaped.projects).not.toContain(projects.elsewhere);
      expect(await projectLeftovers(projects.dead)).toEqual([]);
      expect(await projectLeftovers(projects.alive)).toHaveLength(4);
      expect(await projectLeftovers(projects.elsewhere)).toHaveLength(4);
      expect(await docker('ps', '-aq', '--filter', `id=${single}`)).toBe('');
    } finally {
      for (const project of [projects.alive, projects.elsewhere]) {
        const label = `label=com.docker.compose.project=${project}`;
        const ids = (await docker('ps', '-aq', '--filter', label)).split('\n').filter(Boolean);
        if (ids.length) await docker('rm', '-f', ...ids);
        await docker('network', 'rm', `${project}_default`);
        await docker('volume', 'rm', `${project}_data`, `${project}_owner`);
      }
    }
  });
});
