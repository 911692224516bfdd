// What a run is before it starts: its id, its folder, its stack's name and settings.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DrillPlan } from '../faults/index.ts';
import type { RelativeObjective, Threshold } from '../gate/index.ts';
import type { LoadProfile } from '../load/index.ts';
import { projectName } from '../projects/index.ts';
import { runKind, type Baseline } from '../report/index.ts';
import { rehearsalDefaults } from '../rehearsal/index.ts';

export interface SimLoad {
  profile: LoadProfile;
  users?: number;
  duration?: string;
}

export interface SimOptions {
  /** Where the rehearsal runs: Compose (docker-compose.prod.yml) or the local Kubernetes cluster (the chart). */
  platform: 'compose' | 'kubernetes';
  thresholds: Threshold[];
  /** Objectives against the baseline (--relative, and the load's defaults). */
  relative: RelativeObjective[];
  /** The run to compare with: one named (--baseline), the latest passing run of the same kind, or none. */
  baseline: Baseline | 'latest' | 'none';
  /** The k6 load after the scenarios; null: none (--no-load). */
  load: SimLoad | null;
  /** Fault drills during the load (--faults); null: none. */
  faults: DrillPlan | null;
  /** Leave the stack running afterwards and print its URL. */
  keep: boolean;
  browser: 'auto' | 'off';
  reportsDir: string;
  startupTimeoutMs: number;
  /** Progress goes here (stderr when stdout carries --json). */
  progress: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface RunSetup {
  runId: string;
  startedAt: Date;
  /** reports/<run-id>/ */
  dir: string;
  projectName: string;
  /** The variables the run sets for the stack itself. */
  stackEnv: Record<string, string>;
}

export function setUpRun(options: SimOptions): RunSetup {
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`;
  return {
    runId,
    startedAt,
    dir: join(options.reportsDir, runId),
    projectName: projectName(options.keep ? 'kept' : 'sim'),
    stackEnv: rehearsalDefaults(options.env),
  };
}

/** What a run does, in words (report.runKind): runs of one kind are compared with each other. */
export const kindOfRun = (options: Pick<SimOptions, 'platform' | 'load' | 'faults'>): string =>
  runKind({
    platform: options.platform,
    load: options.load,
    drills: options.faults?.drills.map((drill) => drill.name) ?? null,
  });
