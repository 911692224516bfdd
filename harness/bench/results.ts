/* eslint-disable no-console -- a benchmark reports on stdout */
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
