import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isHarnessProject, isKeptProject, projectName } from './names.ts';
import { ownerIsGone, ownerLabel, ownerLabels } from './ownership.ts';

describe('project names and owners', () => {
  it('names each project of a kind uniquely, and tells kept ones apart', () => {
    const [a, b] = [projectName('sim'), projectName('sim')];
    expect(a).toMatch(/^todo-sim-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(isKeptProject(projectName('kept'))).toBe(true);
    expect(isKeptProject(a)).toBe(false);
    expect(isHarnessProject(a)).toBe(true);
    expect(isHarnessProject('main')).toBe(false);
  });

  it('judges only owners on this host: gone when the pid is, alive while it runs', () => {
    const deadPid = execFileSync(process.execPath, ['-p', 'process.pid']).toString().trim();
    expect(ownerLabels()).toEqual({ [ownerLabel]: `${process.pid}@${hostname()}` });
    expect(ownerIsGone(`${process.pid}@${hostname()}`)).toBe(false);
    expect(ownerIsGone(`${deadPid}@${hostname()}`)).toBe(true);
    // Another machine sharing the engine: its processes are not ours to see.
    expect(ownerIsGone(`${deadPid}@another-host`)).toBe(false);
    expect(ownerIsGone('not an owner')).toBe(false);
  });
});
