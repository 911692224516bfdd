import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { SimReport } from './types.ts';

/** Writes report.json, report.md and junit.xml; adds the Markdown to GITHUB_STEP_SUMMARY when CI sets it. */
export async function writeReport(report: SimReport, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await mkdir(report.artefacts.dir, { recursive: true });
  const markdown = renderMarkdown(report);
  await writeFile(report.artefacts.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(report.artefacts.markdown, markdown);
  await writeFile(report.artefacts.junit, renderJunit(report));
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}
