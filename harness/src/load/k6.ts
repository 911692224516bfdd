// Runs the k6 journey (loadtests/journey.ts) against a base URL and keeps what
// it wrote: the summary as JSON, k6's HTML dashboard report, its console output
// (the acknowledged writes, for reconciliation).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { abortThreshold } from '@todo/loadtests/thresholds';
import { repoRoot } from '../paths.ts';
import { k6Command, k6Missing, resolveK6, type K6Runner } from './k6-runner.ts';
import { parseWriteLog, type WriteLog } from './writes.ts';

export type LoadProfile = 'smoke' | 'load' | 'spike' | 'soak' | 'capacity';
export const loadProfiles: readonly LoadProfile[] = ['smoke', 'load', 'spike', 'soak', 'capacity'];

export interface LoadOptions {
  baseUrl: string;
  profile: LoadProfile;
  /** Written here: summary.json, dashboard.html, console.log. */
  outDir: string;
  /** PEM of a CA to trust besides the system's (the rehearsal's own). */
  caCertificate?: string;
  users?: number;
  duration?: string;
  /** Names the run's accounts (load-<tag>-<vu>@example.com). */
  runTag: string;
  /** k6 thresholds replacing the profile's (all of them), by metric. */
  thresholds?: Record<string, string[]>;
  /** Percentiles for the summary besides p(90), p(95) and p(99). */
  trendStats?: string[];
  onLine?: (line: string) => void;
  /** Stops k6 (an interrupted run). */
  signal?: AbortSignal;
  /** Another script: under loadtests/, or an absolute path (default journey.ts); PROFILE means nothing to a script without profiles. */
  script?: string;
  /** More -e variables for the script. */
  vars?: Record<string, string>;
  /** More k6 outputs, e.g. csv=<file> (the capacity benchmark reads each request's time from it). */
  outputs?: string[];
  /** Which k6: by default the one on PATH, else Grafana's image (resolveK6). */
  runner?: K6Runner;
}

export interface LoadResult {
  /** 0 thresholds held, 99 one crossed (also when one stopped the run early); anything else: k6 could not run. */
  exitCode: number;
  summaryPath: string;
  dashboardPath: string;
  consolePath: string;
  summary: K6Summary | undefined;
}

export interface K6Summary {
  metrics: Record<
    string,
    { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }
  >;
}

/** Whether k6 stopped the run early (it exits 99 then too, as for any crossed threshold). */
export const abortedEarly = (summary: K6Summary | undefined): boolean =>
  summary?.metrics.http_req_failed?.thresholds?.[abortThreshold.threshold]?.ok === false;

const systemBundle = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

export async function runK6(options: LoadOptions): Promise<LoadResult> {
  const runner = options.runner ?? (await resolveK6());
  if (!runner) throw new Error(k6Missing());
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const summaryPath = join(outDir, 'summary.json');
  const dashboardPath = join(outDir, 'dashboard.html');
  const consolePath = join(outDir, 'console.log');
  const env: Record<string, string> = {
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_EXPORT: dashboardPath,
    // The dashboard aggregates per period; a run shorter than one exports nothing.
    K6_WEB_DASHBOARD_PERIOD: options.profile === 'soak' ? '10s' : '1s',
    K6_NO_USAGE_REPORT: 'true',
    // k6 shares the machine's cores with the stack it measures: collecting its
    // garbage a quarter as often cut its CPU by about an eighth (a 100-user
    // load: 19.3 s to 17.0 s) for some more memory, leaving that CPU to the stack.
    GOGC: process.env.GOGC ?? '400',
    K6_CSV_TIME_FORMAT: 'unix_milli',
  };
  if (options.caCertificate) {
    // Go reads SSL_CERT_FILE for its roots: the system's plus the stack's own CA.
    const system = systemBundle.find((file) => existsSync(file));
    const bundle = join(outDir, 'ca.pem');
    await writeFile(bundle, `${system ? await readFile(system, 'utf8') : ''}\n${options.caCertificate}`);
    env.SSL_CERT_FILE = bundle;
  }
  const vars: Record<string, string | undefined> = {
    PROFILE: options.profile,
    BASE_URL: options.baseUrl,
    SUMMARY_PATH: summaryPath,
    LOAD_RUN: options.runTag,
    USERS: options.users === undefined ? undefined : String(options.users),
    DURATION: options.duration,
    THRESHOLDS: options.thresholds ? JSON.stringify(options.thresholds) : undefined,
    TREND_STATS: options.trendStats?.join(','),
    ...options.vars,
  };
  const args = ['run', '--quiet', '--console-output', consolePath];
  for (const [name, value] of Object.entries(vars))
    if (value !== undefined) args.push('-e', `${name}=${value}`);
  for (const output of options.outputs ?? []) args.push('--out', output);
  args.push(resolve(repoRoot, 'loadtests', options.script ?? 'journey.ts'));
  const command = k6Command(runner, {
    args,
    env,
    mounts: [repoRoot.replace(/\/$/, ''), outDir],
    name: `todo-k6-${options.runTag.toLowerCase().replace(/[^a-z0-9]/g, '')}-${randomBytes(3).toString('hex')}`,
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(command.file, command.argv, {
      cwd: repoRoot,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (line) options.onLine?.(line);
      });
    }
    // Interrupted: k6 would stop gracefully (up to 30 s); nobody waits for its summary now.
    const stop = () => {
      child.kill('SIGKILL');
      void command.stop?.();
    };
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', stop);
      if (options.signal?.aborted) reject(new Error('k6 stopped: the run was interrupted'));
      else resolve(code ?? 1);
    });
  });
  const summary = existsSync(summaryPath)
    ? (JSON.parse(await readFile(summaryPath, 'utf8')) as K6Summary)
    : undefined;
  return { exitCode, summaryPath, dashboardPath, consolePath, summary };
}

/** What the load was told about each task, from k6's console output. */
export async function writeLog(consolePath: string): Promise<WriteLog> {
  return parseWriteLog(existsSync(consolePath) ? await readFile(consolePath, 'utf8') : '');
}
