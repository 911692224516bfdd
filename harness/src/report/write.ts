import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { readKey, signBytes } from './signature.ts';
import type { SimReport } from './types.ts';

/**
 * Writes report.json, report.md and junit.xml, and report.json.sig when
 * GATE_SIGNING_KEY is set (what promotion verifies); adds the Markdown to
 * GITHUB_STEP_SUMMARY when CI sets it.
 */
export async function writeReport(report: SimReport, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await mkdir(report.artefacts.dir, { recursive: true });
  const markdown = renderMarkdown(report);
  await writeFile(report.artefacts.json, `${JSON.stringify(report, null, 2)}\n`);
  if (report.artefacts.signature && env.GATE_SIGNING_KEY) {
    const signature = signBytes(await readFile(report.artefacts.json), readKey(env.GATE_SIGNING_KEY));
    await writeFile(report.artefacts.signature, `${signature}\n`);
  }
  await writeFile(report.artefacts.markdown, markdown);
  await writeFile(report.artefacts.junit, renderJunit(report));
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}
