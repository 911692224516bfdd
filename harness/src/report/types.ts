// The gate report: the one artefact promotion trusts (see ARCHITECTURE.md).
import type { ThresholdResult } from '../gate/index.ts';

export type Verdict = 'pass' | 'fail' | 'error';
export type AppImageName = 'backend' | 'frontend' | 'proxy';

export interface ImageRecord {
  /** todo-backend:<hash of inputs> */
  reference: string;
  /** sha256 of the image configuration: the local content digest promotion checks. */
  id: string;
  /** Registry digests; empty until the image is pushed. */
  repoDigests: string[];
  built: boolean;
  buildMs: number;
}

export interface ScenarioStepRecord {
  name: string;
  ok: boolean;
  durationMs: number;
  error?: string;
}

export interface ScenarioRecord {
  name: string;
  /** api or browser */
  kind: string;
  ok: boolean;
  skipped?: string;
  durationMs: number;
  steps: ScenarioStepRecord[];
  error?: string;
}

export interface ServiceRecord {
  service: string;
  /** Seconds from start to healthy (or done, for one-shots). */
  startupSeconds?: number;
  restarts: number;
  oomKills: number;
  cpuAvgPercent?: number;
  cpuPeakPercent?: number;
  memoryPeakBytes?: number;
  memoryLimitBytes?: number;
  /** Relative to the report's folder. */
  log?: string;
}

export interface PhaseRecord {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  detail?: string;
}

export interface RunError {
  /** The phase that could not finish: images, rehearsal up, ... */
  step: string;
  service?: string;
  message: string;
  /** What to try next. */
  hint: string;
  logTail: string[];
}

export interface SimReport {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  verdict: Verdict;
  exitCode: 0 | 1 | 2;
  git: { sha: string; branch: string; dirty: boolean };
  images: Partial<Record<AppImageName, ImageRecord>>;
  /** sha256 over the compose file, the image ids, the stack's settings and the thresholds. */
  configHash: string;
  config: { composeFile: string; env: Record<string, string>; thresholds: string[] };
  thresholds: ThresholdResult[];
  scenarios: ScenarioRecord[];
  services: ServiceRecord[];
  phases: PhaseRecord[];
  /** The k6 summary (the load issue fills this in). */
  load: { summary: string } | null;
  stack?: { projectName: string; baseUrl: string; kept: boolean };
  error?: RunError;
  artefacts: { dir: string; json: string; markdown: string; junit: string; browser?: string };
}
