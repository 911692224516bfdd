// The one client of the actionlint binary (https://github.com/rhysd/actionlint):
// it lints the project in a folder and answers with its findings, parsed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ActionlintFinding {
  message: string;
  /** As actionlint names it: relative to the folder it ran in. */
  filepath: string;
  line: number;
  column: number;
  /** The rule: syntax-check, expression, action, ... */
  kind: string;
}

export type ActionlintResult =
  | { ok: true; findings: ActionlintFinding[] }
  /** actionlint could not lint (a bad config, an unreadable file): what it said. */
  | { ok: false; exitCode: number; output: string };

export class ActionlintMissing extends Error {
  override name = 'ActionlintMissing';
  constructor() {
    super('actionlint is not installed: bash scripts/actionlint.sh builds it (npm run provision does)');
  }
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function actionlint(args: string[], cwd: string): Promise<Ran> {
  try {
    const { stdout, stderr } = await run('actionlint', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') throw new ActionlintMissing();
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** actionlint's version, e.g. v1.7.12. */
export async function actionlintVersion(): Promise<string> {
  const { stdout } = await actionlint(['-version'], process.cwd());
  return stdout.split('\n')[0]?.trim() ?? 'unknown';
}

/** Lints the workflows of the project in `dir` (it needs `.github/workflows` and a `.git`). */
export async function lintProject(dir: string): Promise<ActionlintResult> {
  const ran = await actionlint(['-no-color', '-format', '{{json .}}'], dir);
  if (ran.code !== 0 && ran.code !== 1)
    return { ok: false, exitCode: ran.code, output: ran.stderr + ran.stdout };
  const findings = ran.stdout.trim() ? (JSON.parse(ran.stdout) as ActionlintFinding[]) : [];
  return { ok: true, findings };
}

/** actionlint's own one-line form of a finding. */
export const findingLine = (f: ActionlintFinding): string =>
  `${f.filepath}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
