import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface RunningProcess extends AsyncDisposable {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A child process whose output is kept (for failure messages) and which stops with the stack. */
export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): RunningProcess {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit');
  const stop = async (graceMs = 5000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => output, stop, [Symbol.asyncDispose]: () => stop() };
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runToEnd(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  what: string,
): Promise<void> {
  const run = startProcess(command, args, env, cwd);
  const [code] = (await once(run.child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${lastLines(run.output())}`);
}

export function lastLines(text: string, count = 20): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Polls a URL until it answers 200, the process dies, or time runs out. */
export async function waitForHttp(
  url: string,
  process: RunningProcess,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.child.exitCode !== null) {
      throw new Error(
        `${what} exited (code ${process.child.exitCode}) before answering:\n${lastLines(process.output())}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not answer ${url} within ${timeoutMs / 1000} s:\n${lastLines(process.output())}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
