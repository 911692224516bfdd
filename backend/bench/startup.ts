import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartupSample {
  /** Spawn → first 200 on /ready, as a supervisor sees it. */
  startToReadyMs: number;
  /** What the process logs in its "ready" line (from process start to listening). */
  selfReportedMs: number | undefined;
}

export function spawnNode(cwd: string, script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export async function waitFor(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** Starts the API `count` times (after it is warm) and times each start to ready. */
export async function measureStartups(
  count: number,
  cwd: string,
  env: Record<string, string>,
  readyUrl: string,
): Promise<StartupSample[]> {
  const samples: StartupSample[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const child = spawnNode(cwd, 'dist/main.mjs', env);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(readyUrl);
    const startToReadyMs = Math.round(performance.now() - started);
    await sleep(50);
    const line = out.split('\n').find((entry) => entry.includes('"msg":"ready"'));
    await stop(child);
    samples.push({
      startToReadyMs,
      selfReportedMs: line ? (JSON.parse(line) as { startupMs: number }).startupMs : undefined,
    });
  }
  return samples;
}
