// `docker compose` on the command line: which flavour answers, and the
// developer stack's commands (output on this terminal).
import { docker, dockerStreaming } from './cli.ts';

export type ComposeFile = 'docker-compose.yml' | 'docker-compose.prod.yml';

let flavour: Promise<{ version: string; major: number }> | undefined;

/** `docker compose` (v2, or v1.29 behind the plugin scripts/docker.sh installs): its version. */
export function composeVersion(): Promise<{ version: string; major: number }> {
  flavour ??= docker(['compose', 'version', '--short']).then((stdout) => {
    const version = stdout.trim().replace(/^v/, '');
    return { version, major: Number(version.split('.')[0]) };
  });
  return flavour;
}

/** `docker compose -p PROJECT -f FILE ARGS…` with its output on this terminal; its exit code. */
export function composeCommand(options: {
  projectName: string;
  file: ComposeFile;
  args: string[];
  env: NodeJS.ProcessEnv;
}): Promise<number> {
  return dockerStreaming(['compose', '-p', options.projectName, '-f', options.file, ...options.args], {
    env: options.env,
  });
}

/** `docker compose -f FILE config`: the file as this Compose resolves it. */
export function composeConfig(file: ComposeFile, env: NodeJS.ProcessEnv): Promise<string> {
  return docker(['compose', '-f', file, 'config'], { env });
}
