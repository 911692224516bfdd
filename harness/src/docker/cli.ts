// The docker command line, for what the Engine API does not give as simply:
// builds with the classic builder, `docker exec -i` with input, `docker cp`,
// the developer stack's `docker compose`, output a user watches live.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from '../paths.ts';

/** A docker command that exited non-zero: its arguments, exit code and what it wrote to stderr. */
export class DockerCommandError extends Error {
  override name = 'DockerCommandError';
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: string[], exitCode: number | null, stderr: string, program = 'docker') {
    super(
      `${program} ${args.slice(0, 2).join(' ')} exited ${String(exitCode)}: ${stderr.trim().split('\n')[0] ?? ''}`,
    );
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export interface DockerRunOptions {
  /** The program to run instead of docker (Compose v1.29's docker-compose). */
  program?: string;
  /** Written to the command's standard input. */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `docker …` to its end; its stdout, or DockerCommandError. */
export function docker(args: string[], options: DockerRunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.program ?? 'docker', args, {
      cwd: repoRoot,
      env: options.env ?? process.env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new DockerCommandError(args, code, Buffer.concat(err).toString(), options.program));
    });
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
}

export interface DockerStreamOptions {
  /** The program to run instead of docker (Compose v1.29's docker-compose). */
  program?: string;
  env?: NodeJS.ProcessEnv;
  /** Each line of stdout and stderr as it comes; without it the output goes to the terminal. */
  onLine?: (line: string) => void;
}

/** Runs `docker …` with its output streamed (line by line, or to this terminal); its exit code. */
export function dockerStreaming(args: string[], options: DockerStreamOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const { onLine } = options;
    const child = spawn(options.program ?? 'docker', args, {
      cwd: repoRoot,
      env: options.env ?? process.env,
      stdio: onLine ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (onLine) {
      for (const stream of [child.stdout, child.stderr]) {
        if (stream)
          createInterface({ input: stream }).on('line', (line) => {
            if (line) onLine(line);
          });
      }
    }
    child.on('error', reject);
    child.on('close', (code) => {
      resolve(code ?? 1);
    });
  });
}
