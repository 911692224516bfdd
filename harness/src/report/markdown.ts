import { relative as relativePath } from 'node:path';
import { mark, markdownTable, measured, megabytes, ms, percent, seconds } from './format.ts';
import { describeReconciliation, describeStalls } from '../load/index.ts';
import { comparisonsSection } from './comparisons.ts';
import { faultsSection } from './faults.ts';
import { chartTitles, type ChartName } from './charts.ts';
import type { SimReport } from './types.ts';

/** How a chart shows in the Markdown: an image link, a Mermaid block, inline SVG (report.html). */
export type Figure = (name: ChartName) => string[];

/** report.md's own: each chart's SVG beside it, as an image. */
export const imageFigures =
  (report: SimReport): Figure =>
  (name) => {
    const file = report.artefacts.charts?.[name];
    return file ? [`![${chartTitles[name]}](${relativePath(report.artefacts.dir, file)})`, ''] : [];
  };

const headline: Record<SimReport['verdict'], string> = {
  pass: 'Gate passed',
  fail: 'Gate FAILED',
  error: 'Could not run',
};

/** A titled table; nothing when there are no rows. */
const section = (title: string, header: string[], rows: string[][]): string[] =>
  rows.length ? [`## ${title}`, '', markdownTable(header, rows), ''] : [];

/** The k6 load: what it did, what the database kept, latency per endpoint group. */
function loadSection(report: SimReport, figure: Figure): string[] {
  const load = report.load;
  if (!load) return [];
  const found = load.reconciliation;
  const stalled = describeStalls(load.machineStalls ?? []);
  return [
    '## Load',
    '',
    `k6 profile \`${load.profile}\`${load.users ? `, ${load.users} users` : ''}${load.duration ? `, holding ${load.duration}` : ''}, ` +
      `${seconds(load.durationMs)}${load.abortedEarly ? ', **stopped early by a threshold**' : ''}: ` +
      `${load.requests} requests (${load.requestsPerSecond}/s), ${load.iterations} visits, ` +
      `${percent(load.failedRate)} failed, checks ${percent(load.checksRate)}.`,
    '',
    ...(stalled ? [`**Note:** ${stalled}.`, ''] : []),
    found
      ? `Reconciled with the database, every acknowledged write: ${describeReconciliation(found)}; **${found.lost} lost**.`
      : `Not reconciled: ${load.reconciliationError ?? 'the database could not be read'}.`,
    '',
    `k6's own report: [${load.files.dashboard}](${load.files.dashboard}); its summary: [${load.files.summary}](${load.files.summary}).`,
    '',
    markdownTable(
      ['Requests', 'p50', 'p95', 'p99', 'max'],
      load.latency.map((row) => [row.metric, ms(row.p50), ms(row.p95), ms(row.p99), ms(row.max)]),
    ),
    '',
    ...figure('latency'),
    ...figure('load'),
  ];
}

/** On Kubernetes: where it ran, and the digests the pods ran (each leading to the image id built). */
function kubernetesLines(report: SimReport): string[] {
  const { kubernetes } = report;
  if (!kubernetes) return [];
  return [
    `On Kubernetes: ${kubernetes.cluster}, namespace \`${kubernetes.namespace}\`, charts ${kubernetes.charts.map((c) => `\`${c}\``).join(' and ')}; ` +
      `deployed in ${kubernetes.deploySeconds} s. The pods ran:`,
    '',
    ...Object.entries(kubernetes.images).map(
      ([name, image]) => `- ${name}: \`${image.reference}\` (image \`${image.id.slice(0, 19)}…\`)`,
    ),
    '',
  ];
}

/** Where the browser flow's screenshots and trace are, relative to report.md. */
function browserEvidence(report: SimReport): string[] {
  const { browser, trace } = report.artefacts;
  if (!browser && !trace) return [];
  const relative = (path: string) => relativePath(report.artefacts.dir, path);
  return [
    [
      browser
        ? `The browser flow's screenshots, one per step: [${relative(browser)}/](${relative(browser)}/).`
        : '',
      trace
        ? `Its Playwright trace: [${relative(trace)}](${relative(trace)}) (\`npx playwright-core show-trace ${relative(trace)}\`).`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
    '',
  ];
}

/** report.md: what a reviewer reads (and what lands in GITHUB_STEP_SUMMARY). */
export function renderMarkdown(report: SimReport, figure: Figure = imageFigures(report)): string {
  const out: string[] = [
    `# Rehearsal ${report.runId}: ${headline[report.verdict]}`,
    '',
    `Commit \`${report.git.sha.slice(0, 12)}\`${report.git.dirty ? ' (with uncommitted changes)' : ''} on ${report.git.branch || 'a detached HEAD'}, ` +
      `${report.startedAt}, ${seconds(report.durationMs)}. Config hash \`${report.configHash.slice(0, 19)}\`.` +
      (report.toolchain
        ? ` Docker Compose ${report.toolchain.compose}, images built with ${report.toolchain.builder}.`
        : ''),
    '',
    ...kubernetesLines(report),
  ];
  if (report.error) {
    out.push(
      '## What went wrong',
      '',
      `**${report.error.step}**${report.error.service ? ` (service \`${report.error.service}\`)` : ''}: ${report.error.message}`,
      '',
      `Try: ${report.error.hint}`,
      '',
    );
    if (report.error.logTail.length) out.push('```', ...report.error.logTail, '```', '');
  }
  out.push(
    ...section(
      'Warnings',
      ['Warning', 'What happened'],
      (report.warnings ?? []).map((w) => [w.name, w.detail]),
    ),
    ...section(
      'Thresholds',
      ['Metric', 'Threshold', 'Measured', 'Verdict'],
      report.thresholds.map((t) => [t.metric, t.expression, measured(t), mark(t.ok)]),
    ),
    ...comparisonsSection(report),
    ...section(
      'Scenarios',
      ['Scenario', 'Steps', 'Time', 'Result'],
      report.scenarios.map((s) => [
        s.name,
        String(s.steps.length),
        seconds(s.durationMs),
        s.skipped ? `skipped: ${s.skipped}` : s.ok ? 'pass' : `FAIL: ${s.error ?? ''}`,
      ]),
    ),
    ...browserEvidence(report),
    ...loadSection(report, figure),
    ...faultsSection(report),
    ...section(
      'Services',
      ['Service', 'Start-up', 'Restarts', 'OOM kills', 'CPU avg / peak', 'Memory peak / limit'],
      report.services.map((s) => [
        s.service,
        s.startupSeconds === undefined ? '–' : `${s.startupSeconds} s`,
        String(s.restarts),
        String(s.oomKills),
        s.cpuAvgPercent === undefined ? '–' : `${s.cpuAvgPercent}% / ${s.cpuPeakPercent}%`,
        `${megabytes(s.memoryPeakBytes)} / ${megabytes(s.memoryLimitBytes)}`,
      ]),
    ),
    ...figure('services'),
    ...section(
      'Phases',
      ['Phase', 'Status', 'Time', 'Share'],
      report.phases.map((p) => [
        p.name,
        p.detail ? `${p.status}: ${p.detail}` : p.status,
        seconds(p.durationMs),
        `${Math.round((p.durationMs / Math.max(report.durationMs, 1)) * 100)}%`,
      ]),
    ),
    ...figure('phases'),
    ...section(
      'Images',
      ['Image', 'Reference', 'Digest (image id)', 'Built this run'],
      Object.entries(report.images).map(([name, image]) => [
        name,
        image.reference,
        image.id,
        image.built ? seconds(image.buildMs) : 'no (cached)',
      ]),
    ),
  );
  return out.join('\n');
}
