// The run a new one is compared with: the most recent passing report of the
// same kind in the reports folder, or one named with --baseline. "The same
// kind" is the same platform, load and drills; the images may differ (that is
// the point: a change against the last good build).
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RelativeObjective } from '../gate/index.ts';
import type { SimReport } from './types.ts';

export interface Baseline {
  report: SimReport;
  /** Its report.json. */
  file: string;
  chosen: 'the latest passing run' | 'named with --baseline';
}

/** What a run did, in words: runs of one kind are comparable. */
export function runKind(run: {
  platform: string;
  load: { profile: string; users?: number; duration?: string } | null;
  drills: readonly string[] | null;
}): string {
  const load = run.load
    ? `load ${run.load.profile}${run.load.users ? `, ${run.load.users} users` : ''}${run.load.duration ? `, ${run.load.duration}` : ''}`
    : 'no load';
  return `${run.platform}; ${load}; ${run.drills?.length ? `drills ${run.drills.join(', ')}` : 'no drills'}`;
}

async function readReport(file: string): Promise<SimReport | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SimReport;
  } catch {
    return undefined;
  }
}

/** A report named with --baseline: its folder or its report.json; throws a one-line reason. */
export async function namedBaseline(path: string): Promise<Baseline> {
  const file = path.endsWith('.json') ? path : join(path, 'report.json');
  if (!existsSync(file)) throw new Error(`--baseline ${path}: no report.json there`);
  const report = await readReport(file);
  if (!report?.runId || !Array.isArray(report.thresholds))
    throw new Error(`--baseline ${path}: ${file} is not a report of npm run sim`);
  return { report, file, chosen: 'named with --baseline' };
}

/** The most recent passing run of this kind under `reportsDir`, other than `runId`. */
export async function latestPassing(
  reportsDir: string,
  kind: string,
  runId: string,
): Promise<Baseline | undefined> {
  if (!existsSync(reportsDir)) return undefined;
  const folders = (await readdir(reportsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && entry.name !== runId)
    .map((entry) => entry.name)
    // Run ids begin with their start time: newest first.
    .sort()
    .reverse();
  for (const folder of folders) {
    const file = join(reportsDir, folder, 'report.json');
    const report = existsSync(file) ? await readReport(file) : undefined;
    if (report?.verdict === 'pass' && report.runKind === kind)
      return { report, file, chosen: 'the latest passing run' };
  }
  return undefined;
}

const aggregationOf = (expression: string) => /^[a-z]+(\([\d.]+\))?/.exec(expression)?.[0];

const latencyColumn: Record<string, 'p50' | 'p95' | 'p99' | 'max'> = {
  med: 'p50',
  'p(95)': 'p95',
  'p(99)': 'p99',
  max: 'max',
};

/** The baseline's value for an objective: from its comparisons, its thresholds, or its load's latency table. */
export function baselineValue(report: SimReport, objective: RelativeObjective): number | null {
  const same = (entry: { metric: string; expression: string }) =>
    entry.metric === objective.metric && aggregationOf(entry.expression) === objective.aggregation;
  const compared = report.comparisons?.find(same)?.measured;
  if (compared !== undefined && compared !== null) return compared;
  const judged = report.thresholds.find(same)?.measured;
  if (judged !== undefined && judged !== null) return judged;
  const column = latencyColumn[objective.aggregation];
  const row = report.load?.latency.find((entry) => entry.metric === objective.metric);
  return (column && row?.[column]) ?? null;
}
