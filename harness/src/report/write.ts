import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { reportCharts, type ChartName } from './charts.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { mermaidChart } from './mermaid.ts';
import { readKey, signBytes } from './signature.ts';
import { renderSvg } from './vega.ts';
import type { SimReport } from './types.ts';

/** Each chart the report has data for, as SVG, by name. */
async function renderCharts(report: SimReport): Promise<Partial<Record<ChartName, string>>> {
  const svgs: Partial<Record<ChartName, string>> = {};
  for (const chart of reportCharts(report)) svgs[chart.name] = await renderSvg(chart.spec);
  return svgs;
}

/**
 * Writes the charts (charts/*.svg), report.json, report.md, report.html and
 * junit.xml, and report.json.sig when GATE_SIGNING_KEY is set (what promotion
 * verifies); adds the Markdown, its charts in Mermaid, to GITHUB_STEP_SUMMARY
 * when CI sets it. Returns the report with the charts and the page among its artefacts.
 */
export async function writeReport(
  report: SimReport,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SimReport> {
  const { dir } = report.artefacts;
  await mkdir(`${dir}/charts`, { recursive: true });
  const svgs = await renderCharts(report);
  const charts: Partial<Record<ChartName, string>> = {};
  for (const [name, svg] of Object.entries(svgs) as [ChartName, string][]) {
    charts[name] = `${dir}/charts/${name}.svg`;
    await writeFile(charts[name], svg);
  }
  const written: SimReport = {
    ...report,
    artefacts: { ...report.artefacts, html: `${dir}/report.html`, charts },
  };
  await writeFile(written.artefacts.json, `${JSON.stringify(written, null, 2)}\n`);
  if (written.artefacts.signature && env.GATE_SIGNING_KEY) {
    const signature = signBytes(await readFile(written.artefacts.json), readKey(env.GATE_SIGNING_KEY));
    await writeFile(written.artefacts.signature, `${signature}\n`);
  }
  await writeFile(written.artefacts.markdown, renderMarkdown(written));
  await writeFile(`${dir}/report.html`, renderHtml(written, svgs));
  await writeFile(written.artefacts.junit, renderJunit(written));
  if (env.GITHUB_STEP_SUMMARY)
    await appendFile(
      env.GITHUB_STEP_SUMMARY,
      `${renderMarkdown(written, (name) => mermaidChart(written, name))}\n`,
    );
  return written;
}
