/* eslint-disable no-console -- a benchmark reports on stdout */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../src/index.ts';

/** Writes results/<name>.json and results/<name>.md (the files we commit) and prints the Markdown. */
export async function writeResults(name: string, result: unknown, markdown: string): Promise<void> {
  const out = join(repoRoot, 'harness', 'bench', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(out, `${name}.md`), markdown);
  console.log(markdown);
}

/** The harness's CLI as a user runs it (npm run X): its exit code and stdout; stderr shows. */
export const cli = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['harness/src/cli/main.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code: code ?? 1, stdout });
    });
  });
