/* eslint-disable no-console -- it reports on stdout */
// The example report under docs/example-report/: two real `npm run sim` runs
// (the default gate: scenarios, browser flow, 100 users), the second compared
// with the first as its baseline, copied as a reader would browse reports/:
// one folder per run, with the report, its charts, the browser flow's
// screenshots and k6's dashboard (not the logs, the trace or k6's raw files).
// Paths of the temporary reports folder are written as reports/.
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { cli } from './results.ts';

const out = join(repoRoot, 'docs', 'example-report');
const kept = [
  'report.md',
  'report.html',
  'report.json',
  'junit.xml',
  'charts',
  'load/dashboard.html',
  'load/summary.json',
];

async function run(reportsDir: string): Promise<SimReport> {
  const { code, stdout } = await cli(['sim', '--json', '--reports-dir', reportsDir], {});
  const report = JSON.parse(stdout) as SimReport;
  if (code !== 0) throw new Error(`npm run sim exited with ${code}: ${report.artefacts.markdown}`);
  return report;
}

/** One run's folder, as people read it, with the temporary folder's paths as reports/. */
async function copyRun(report: SimReport, reportsDir: string): Promise<void> {
  const target = join(out, report.runId);
  for (const name of kept)
    await cp(join(report.artefacts.dir, name), join(target, name), { recursive: true });
  const screenshots = join(report.artefacts.dir, 'browser-flow');
  for (const file of (await readdir(screenshots)).filter((name) => name.endsWith('.png')))
    await cp(join(screenshots, file), join(target, 'browser-flow', file));
  for (const name of ['report.md', 'report.html', 'report.json', 'junit.xml']) {
    const file = join(target, name);
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll(reportsDir, 'reports'));
  }
}

const reportsDir = await mkdtemp(join(tmpdir(), 'example-report-'));
try {
  const baseline = await run(reportsDir);
  const compared = await run(reportsDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await copyRun(baseline, reportsDir);
  await copyRun(compared, reportsDir);
  await writeFile(
    join(out, 'README.md'),
    [
      '# An example report',
      '',
      `Two real runs of \`npm run sim\` (the default gate) on the two-core machine this project is built on, ` +
        `written by \`npm run example-report\`: [the second](${compared.runId}/report.md) ` +
        `(also as one page: [report.html](${compared.runId}/report.html)), compared with ` +
        `[the first](${baseline.runId}/report.md) as its baseline.`,
      '',
      "Each folder is what `reports/<run-id>/` holds, less the services' logs, the Playwright trace and k6's " +
        'raw files (a run writes them; they are large); links to those are left as a run writes them.',
      '',
    ].join('\n'),
  );
  console.log(`docs/example-report/: ${baseline.runId} and ${compared.runId} (${compared.verdict})`);
} finally {
  await rm(reportsDir, { recursive: true, force: true });
}
