import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../src/index.ts';

const run = promisify(execFile);
const workflowsDir = join(repoRoot, '.github', 'workflows');

/** npm run check's workflow lint on the repository in `dir`: its exit code and what it said. */
async function lintWorkflows(dir: string): Promise<{ code: number; output: string }> {
  const { scripts } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  try {
    const command = `${scripts['lint:workflows'] ?? 'false'} "$1"`;
    const { stdout, stderr } = await run('sh', ['-c', command, 'sh', dir], { cwd: repoRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

/** The 1-based line of the first occurrence of `needle`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('the CI workflows', () => {
  let copy: string;
  const workflow = (name: string) => join(copy, '.github', 'workflows', name);
  beforeEach(async () => {
    copy = await mkdtemp(join(tmpdir(), 'workflows-'));
    await cp(join(repoRoot, '.github'), join(copy, '.github'), { recursive: true });
    await cp(join(repoRoot, 'README.md'), join(copy, 'README.md'));
  });
  afterEach(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  it('pass the workflow lint of npm run check as committed', async () => {
    const { code, output } = await lintWorkflows(repoRoot);
    expect(output).not.toMatch(/^\S+:\d+:\d+: /m);
    expect(code).toBe(0);
  });

  it('fail it, with the line, on broken syntax or a misspelt configuration variable', async () => {
    const promote = workflow('promote.yml');
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

  it('fail it on an input the pinned action does not have, at its line, and leave the pin as it was', async () => {
    const ci = workflow('ci.yml');
    const edited = (await readFile(ci, 'utf8')).replace('if-no-files-found: warn', 'if-no-file-found: warn');
    await writeFile(ci, edited);
    const typo = await lintWorkflows(copy);
    expect(typo.code).not.toBe(0);
    expect(typo.output).toContain(
      `.github/workflows/ci.yml:${lineOf(edited, 'if-no-file-found')}:11: input "if-no-file-found" is not defined in action "actions/upload-artifact@v7"`,
    );
    expect(await readFile(ci, 'utf8')).toBe(edited);
    expect(edited).toMatch(/actions\/upload-artifact@[0-9a-f]{40} # v7\.\d+\.\d+/);
  });

  it('fail it, with the line, on a secret the README does not name', async () => {
    const promote = workflow('promote.yml');
    const edited = (await readFile(promote, 'utf8')).replace('secrets.RAILWAY_TOKEN', 'secrets.RAILWAY_TOKN');
    await writeFile(promote, edited);
    const misspelt = await lintWorkflows(copy);
    expect(misspelt.code).not.toBe(0);
    expect(misspelt.output).toMatch(
      new RegExp(
        `^\\.github/workflows/promote\\.yml:${lineOf(edited, 'RAILWAY_TOKN')}:\\d+: secret "RAILWAY_TOKN" is not one the README's CI section names`,
        'm',
      ),
    );
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

  it('run the browser flow in the Chrome the workflow installs, not the runner image’s', async () => {
    type Step = { id?: string; uses?: string; run?: string; env?: Record<string, string> };
    const ci = parseYaml(await readFile(join(workflowsDir, 'ci.yml'), 'utf8')) as {
      jobs: { gate: { steps: Step[] } };
    };
    const steps = ci.jobs.gate.steps;
    const chrome = steps.find((step) => step.uses?.startsWith('browser-actions/setup-chrome@'));
    expect(chrome?.id).toBe('chrome');
    // A step's script may set things up before its npm command (the gate: its baseline).
    const browserSteps = steps.filter((step) => /^npm (test|run sim)\b/m.test(step.run ?? ''));
    expect(browserSteps).toHaveLength(2);
    for (const step of browserSteps) {
      expect(step.env?.CHROMIUM_PATH).toBe('${{ steps.chrome.outputs.chrome-path }}');
      expect(steps.indexOf(step)).toBeGreaterThan(steps.indexOf(chrome as Step));
    }
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
