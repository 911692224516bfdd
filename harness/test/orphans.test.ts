import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseImages, projectLeftovers, removeOrphanStacks } from '../src/index.ts';

const run = promisify(execFile);

describe('stacks left behind by a run that died', () => {
  it('are removed (containers, network, volume); a live run’s are kept', async () => {
    // A pid that is certainly gone: a child that already exited.
    const child = await run(process.execPath, ['-p', 'process.pid']);
    const deadProject = `todo-test-${child.stdout.trim()}-orphan`;
    const liveProject = `todo-test-${process.pid}-alive`;
    const image = baseImages().REDIS_IMAGE;
    for (const project of [deadProject, liveProject]) {
      const label = `com.docker.compose.project=${project}`;
      await run('docker', ['network', 'create', '--label', label, `${project}_default`]);
      await run('docker', ['volume', 'create', '--label', label, `${project}_data`]);
      await run('docker', [
        'create',
        '--label',
        label,
        '--network',
        `${project}_default`,
        '-v',
        `${project}_data:/data`,
        image,
      ]);
    }
    try {
      expect(await removeOrphanStacks()).toContain(deadProject);
      expect(await projectLeftovers(deadProject)).toEqual([]);
      expect(await projectLeftovers(liveProject)).toHaveLength(3);
    } finally {
      const label = `label=com.docker.compose.project=${liveProject}`;
      const ids = (await run('docker', ['ps', '-aq', '--filter', label])).stdout.split('\n').filter(Boolean);
      if (ids.length) await run('docker', ['rm', '-f', ...ids]);
      await run('docker', ['network', 'rm', `${liveProject}_default`]);
      await run('docker', ['volume', 'rm', `${liveProject}_data`]);
    }
  });
});
