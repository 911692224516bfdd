// Drives the harness's command line from outside, as a user or CI does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { endpointGroups } from '@todo/loadtests/thresholds';
import { repoRoot } from '../src/index.ts';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the first line (stdout or stderr) that matches. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/**
 * The other suites run beside these on the same two cores, so request latency
 * here says little; bench:sim and bench:load measure it. Every other default
 * threshold holds.
 */
export const relaxedLatency = {
  SIM_THRESHOLDS: [
    'scenario_req_duration=p(95)<3000',
    // The load's latency, and with drills the same of its steady state (dropped without --faults).
    ...['http_req_duration', 'steady_req_duration'].flatMap((metric) => [
      `${metric}=p(95)<3000`,
      ...endpointGroups.map((group) => `${metric}{group:${group}}=p(95)<3000`),
    ]),
  ].join(';'),
};

/**
 * The harness's command line as its own process; `via: 'npm'` runs it the way
 * users do (`npm run sim -- ...`), so a signal sent to the npm process is what
 * a CI runner, `timeout` or a supervisor would send.
 */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  { via = 'node', root = repoRoot }: { via?: 'node' | 'npm'; root?: string } = {},
): CliRun {
  const [command = '', ...rest] = args;
  const [file, argv] =
    via === 'npm'
      ? ['npm', ['run', '--silent', command, '--', ...rest]]
      : [process.execPath, [join(root, 'harness/src/cli/main.ts'), ...args]];
  const child = spawn(file, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  const scan = () => {
    for (const watcher of [...watchers]) {
      const match = `${stdout}\n${stderr}`.match(watcher.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(match);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    scan();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    scan();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        watchers.push({ pattern, resolve });
        scan();
        void done.then(() => {
          reject(new Error(`the command ended before printing ${String(pattern)}:\n${stdout}\n${stderr}`));
        });
      }),
  };
}

/** The command line to its end; `root` runs another checkout's harness (a worktree with a change). */
export const runCli = (args: string[], env: Record<string, string> = {}, root?: string): Promise<CliResult> =>
  startCli(args, env, root ? { root } : {}).done;
