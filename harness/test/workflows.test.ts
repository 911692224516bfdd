import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/index.ts';

const run = promisify(execFile);
const workflowsDir = join(repoRoot, '.github', 'workflows');

/** npm run check's workflow lint (actionlint) in `dir`: its exit code and what it said. */
async function lintWorkflows(dir: string): Promise<{ code: number; output: string }> {
  const { scripts } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  try {
    const { stdout, stderr } = await run('sh', ['-c', scripts['lint:workflows'] ?? 'false'], { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

describe('the CI workflows', () => {
  let copy: string;
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'workflows-'));
    await cp(join(repoRoot, '.github'), join(copy, '.github'), { recursive: true });
    // actionlint finds the workflows of the git repository it runs in.
    await run('git', ['init', '--quiet'], { cwd: copy });
  });
  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  it('pass the workflow lint of npm run check as committed', async () => {
    expect(await lintWorkflows(repoRoot)).toEqual({ code: 0, output: '' });
  });

  it('fail it, with the line, on broken syntax or a misspelt configuration variable', async () => {
    const promote = join(copy, '.github', 'workflows', 'promote.yml');
    const text = await readFile(promote, 'utf8');
    await writeFile(promote, text.replace('vars.RAILWAY_SERVICE_ID', 'vars.RAILWAY_SERVICE_IDD'));
    const misspelt = await lintWorkflows(copy);
    expect(misspelt.code).not.toBe(0);
    expect(misspelt.output).toMatch(
      /promote\.yml:\d+:\d+: undefined configuration variable "railway_service_idd"/,
    );
    await writeFile(promote, text.replace('on:\n', 'on:\n  workflow_run: [\n'));
    const broken = await lintWorkflows(copy);
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/promote\.yml:\d+:\d+: /);
  });

  it('read only the secrets the README names', async () => {
    const documented = ['GATE_SIGNING_KEY', 'RAILWAY_TOKEN', 'VERCEL_TOKEN', 'GITHUB_TOKEN'];
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    for (const name of documented.filter((n) => n !== 'GITHUB_TOKEN'))
      expect(readme).toContain(`\`${name}\``);
    for (const file of await readdir(workflowsDir)) {
      const text = await readFile(join(workflowsDir, file), 'utf8');
      for (const [, name] of text.matchAll(/secrets\.([A-Z_]+)/g)) expect(documented).toContain(name);
    }
  });

  it('call only npm scripts that package.json has', async () => {
    const { scripts } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const called: string[] = [];
    for (const file of await readdir(workflowsDir)) {
      const text = await readFile(join(workflowsDir, file), 'utf8');
      called.push(...[...text.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1] ?? ''));
    }
    expect(called).toEqual(expect.arrayContaining(['check', 'sim', 'promote']));
    expect(called.filter((name) => !(name in scripts))).toEqual([]);
  });

  it('pin every third-party action to a commit', async () => {
    for (const file of await readdir(workflowsDir)) {
      const text = await readFile(join(workflowsDir, file), 'utf8');
      for (const [, action, ref] of text.matchAll(/uses: ([\w./-]+)@(\S+)/g)) {
        expect(`${file}: ${action ?? ''}@${ref ?? ''}`).toMatch(/@[0-9a-f]{40}$/);
      }
    }
  });
});
