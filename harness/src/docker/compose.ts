// Docker Compose on the command line: which one runs the stacks (v2, the
// default; v1.29, the fallback) and the developer stack's commands (output on
// this terminal).
import { docker, dockerStreaming } from './cli.ts';

export type ComposeFile = 'docker-compose.yml' | 'docker-compose.prod.yml';

/** Which Compose to use: `auto` is v2 when `docker compose` answers v2, else v1.29. */
export type ComposeChoice = 'auto' | 'v1' | 'v2';

export interface ComposeFlavour {
  /** 2.40.3, 1.29.2 */
  version: string;
  major: number;
  /**
   * How it is run: `docker compose …` (v2, or v1.29 behind the plugin shim
   * scripts/compose.sh installs where v2 cannot be had), or v1.29's own
   * `docker-compose …` when chosen with SIM_COMPOSE=v1.
   */
  standalone: boolean;
}

/** SIM_COMPOSE (auto, v1 or v2; default auto), or an error naming the variable. */
export function composeChoice(env: NodeJS.ProcessEnv = process.env): ComposeChoice {
  const value = env.SIM_COMPOSE ?? 'auto';
  if (value === 'auto' || value === 'v1' || value === 'v2') return value;
  throw new Error(`SIM_COMPOSE must be auto, v1 or v2 (got "${value}")`);
}

const versionOf = (stdout: string) => {
  const version = stdout.trim().replace(/^v/, '');
  return { version, major: Number(version.split('.')[0]) };
};

const flavours = new Map<ComposeChoice, Promise<ComposeFlavour>>();

async function detect(choice: ComposeChoice): Promise<ComposeFlavour> {
  if (choice === 'v1') {
    const stdout = await docker(['version', '--short'], { program: 'docker-compose' }).catch(() => {
      throw new Error('SIM_COMPOSE=v1 needs Compose v1.29 (docker-compose) on PATH; it did not answer');
    });
    return { ...versionOf(stdout), standalone: true };
  }
  const plugin = await docker(['compose', 'version', '--short']).then(versionOf, () => undefined);
  if (plugin && (plugin.major >= 2 || choice === 'auto')) return { ...plugin, standalone: false };
  if (choice === 'v2')
    throw new Error(
      `SIM_COMPOSE=v2 needs Compose v2 (\`docker compose version\` answered ${plugin?.version ?? 'nothing'}); run npm run provision or install the docker-compose-plugin`,
    );
  // No `docker compose` at all: v1.29's own command, if it is here.
  return detect('v1');
}

/** The Compose that runs the stacks, as chosen (default: SIM_COMPOSE, else auto). */
export function composeFlavour(choice: ComposeChoice = composeChoice()): Promise<ComposeFlavour> {
  let flavour = flavours.get(choice);
  if (!flavour) {
    flavour = detect(choice);
    flavours.set(choice, flavour);
  }
  return flavour;
}

/** The installed Compose's version (the one SIM_COMPOSE chooses). */
export function composeVersion(): Promise<{ version: string; major: number }> {
  return composeFlavour();
}

/** Program and arguments for `compose ARGS…` in this flavour. */
export function composeArgv(flavour: ComposeFlavour, args: string[]): { program: string; args: string[] } {
  return flavour.standalone
    ? { program: 'docker-compose', args }
    : { program: 'docker', args: ['compose', ...args] };
}

/** `docker compose -p PROJECT -f FILE ARGS…` with its output on this terminal; its exit code. */
export async function composeCommand(options: {
  projectName: string;
  file: ComposeFile;
  args: string[];
  env: NodeJS.ProcessEnv;
}): Promise<number> {
  const argv = composeArgv(await composeFlavour(), [
    '-p',
    options.projectName,
    '-f',
    options.file,
    ...options.args,
  ]);
  return dockerStreaming(argv.args, { program: argv.program, env: options.env });
}

/** `docker compose -f FILE config`: the file as this Compose resolves it. */
export async function composeConfig(
  file: ComposeFile,
  env: NodeJS.ProcessEnv,
  flavour?: ComposeFlavour,
): Promise<string> {
  const argv = composeArgv(flavour ?? (await composeFlavour()), ['-f', file, 'config']);
  return docker(argv.args, { program: argv.program, env });
}
