// Runs the k6 journey (loadtests/journey.ts) against a base URL and keeps what
// it wrote: the summary as JSON, k6's HTML dashboard report, its console output
// (the acknowledged writes, for reconciliation).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { abortThreshold } from '@todo/loadtests/thresholds';
import { repoRoot } from '../paths.ts';
import { parseWriteLog, type WriteLog } from './writes.ts';

export const k6Missing =
  'k6 is not installed: bash scripts/k6.sh builds it with Go (npm run provision runs it), or install k6 1.x from grafana.com/docs/k6';

/** k6 on PATH, or undefined. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = process.platform === 'win32' ? 'k6.exe' : 'k6';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

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
  const k6 = findK6();
  if (!k6) throw new Error(k6Missing);
  await mkdir(options.outDir, { recursive: true });
  const summaryPath = join(options.outDir, 'summary.json');
  const dashboardPath = join(options.outDir, 'dashboard.html');
  const consolePath = join(options.outDir, 'console.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
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
    const bundle = join(options.outDir, 'ca.pem');
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
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(k6, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (line) options.onLine?.(line);
      });
    }
    // Interrupted: k6 would stop gracefully (up to 30 s); nobody waits for its summary now.
    const stop = () => {
      child.kill('SIGKILL');
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
