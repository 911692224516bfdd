// The gate report: the one artefact promotion trusts (see ARCHITECTURE.md).
import type { Comparison, ThresholdResult } from '../gate/index.ts';
import type { ChartName } from './charts.ts';
import type { AppImage, ImageRecord } from '../images/index.ts';
import type { DrillVerdict, FaultsRecord } from '../faults/index.ts';
import type { LoadFigures, LoadSeriesPoint, MachineStall, Reconciliation } from '../load/index.ts';

export type Verdict = 'pass' | 'fail' | 'error';
export type { ImageRecord } from '../images/index.ts';

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
  /** The browser flow was skipped because no browser was found (browser_flow_skipped). */
  noBrowser?: true;
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
  /** The container's CPU limit in percent of one core (cpus: '0.5' is 50). */
  cpuLimitPercent?: number;
  /** CPU (percent of one core) and memory in use, sampled every few seconds from up to collect. */
  usage?: { at: number; cpuPercent: number; memoryBytes: number }[];
  /** Relative to the report's folder. */
  log?: string;
}

export interface PhaseRecord {
  name: string;
  /** Epoch ms the phase began. */
  startedAt?: number;
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

/** The k6 load of a run: its figures (throughput, failures, checks, latency per group) and more. */
export interface LoadRecord extends LoadFigures {
  profile: string;
  users?: number;
  duration?: string;
  /** k6's exit code: 0 its thresholds held, 99 one was crossed. */
  k6ExitCode: number;
  /** More than half the requests failed, so k6 stopped the run early (the gate fails). */
  abortedEarly: boolean;
  durationMs: number;
  /** The load over time, per 5 s (from k6's log of every request). */
  series?: LoadSeriesPoint[];
  /** Moments the whole machine stopped during the load (a paused VM, a starved host); absent when none. */
  machineStalls?: MachineStall[];
  /** The database against what the load was told; null when it could not be read. */
  reconciliation: (Reconciliation & { lost: number }) | null;
  /** Why the database could not be read, when it could not. */
  reconciliationError?: string;
  /** k6's summary, its HTML dashboard, its output, the acknowledged writes, every request (gzipped CSV). */
  files: { summary: string; dashboard: string; log: string; console: string; requests?: string };
}

/** A fault drill as the report keeps it: what was done, seen and judged. */
export type DrillReport = DrillVerdict;

/** The fault drills of a run (--faults). */
export interface FaultsReport extends Omit<FaultsRecord, 'drills'> {
  drills: DrillReport[];
}

export interface KubernetesRecord {
  /** Which cluster: the local one, or a kubeconfig context. */
  cluster: string;
  namespace: string;
  /** The charts, relative to the repository. */
  charts: string[];
  /** Each image as the pods ran it: repository@digest, and the image id that digest leads to. */
  images: Record<string, { reference: string; id: string }>;
  /** helm install of both releases until the app answered through the ingress. */
  deploySeconds: number;
  /** The cluster was started for this run (and stopped after it), or it was running already. */
  clusterStartedHere: boolean;
}

export interface ReportWarning {
  /** browser_flow_skipped: no browser here; relative_warning: a figure worse than the baseline's, within its failing band. */
  name: 'browser_flow_skipped' | 'relative_warning';
  detail: string;
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
  images: Partial<Record<AppImage, ImageRecord>>;
  /** sha256 over the compose file, the image ids, the stack's settings and the thresholds. */
  configHash: string;
  config: {
    composeFile: string;
    /** More files the hash covers (a Kubernetes rehearsal: its charts and the cluster's set-up). */
    files?: string[];
    env: Record<string, string>;
    thresholds: string[];
  };
  /** The Compose that ran the stack and the builder of the images (2.40.3; BuildKit (buildx v0.38.2)). */
  toolchain?: { compose: string; builder: string };
  thresholds: ThresholdResult[];
  /** What the run did (platform, load, drills): runs of one kind are compared with each other. */
  runKind?: string;
  /** The run this one was compared with, when there was one. */
  baseline?: { runId: string; report: string; chosen: string; commit: string };
  /** The relative objectives: this run against the baseline (all "no baseline" without one). */
  comparisons?: Comparison[];
  /** What did not fail the gate but a reviewer must see (browser_flow_skipped: no browser on this machine). */
  warnings?: ReportWarning[];
  scenarios: ScenarioRecord[];
  services: ServiceRecord[];
  phases: PhaseRecord[];
  /** The k6 load, when the run had one. */
  load: LoadRecord | null;
  /** The fault drills during the load, when the run had them (--faults). */
  faults: FaultsReport | null;
  stack?: { projectName: string; baseUrl: string; kept: boolean };
  /** Where the rehearsal ran: Compose (docker-compose.prod.yml) or Kubernetes (the Helm chart). */
  platform: 'compose' | 'kubernetes';
  /** The Kubernetes rehearsal: cluster, namespace, the images as the cluster ran them. */
  kubernetes?: KubernetesRecord;
  error?: RunError;
  artefacts: {
    dir: string;
    json: string;
    markdown: string;
    /** report.md as one self-contained page, the charts inline. */
    html?: string;
    /** Each chart's SVG. */
    charts?: Partial<Record<ChartName, string>>;
    junit: string;
    /** report.json.sig: the ed25519 signature of report.json, when GATE_SIGNING_KEY was set. */
    signature?: string;
    browser?: string;
    /** The browser flow's Playwright trace (npx playwright-core show-trace <file>). */
    trace?: string;
    /** k6's files, and its HTML dashboard report among them. */
    load?: string;
    dashboard?: string;
  };
}
