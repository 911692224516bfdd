// The commands of the harness's command line, and how a failure becomes the
// lines a user reads and the exit code (0 pass, 1 gate failed, 2 could not run).
import { RunFailure, UsageError } from '../errors/index.ts';
import { ThresholdError } from '../gate/index.ts';
import { clusterCommand, clusterHelp } from './cluster-command.ts';
import { loadCommand, loadHelp } from './load-command.ts';
import {
  blueprintCommand,
  gateKeyCommand,
  platformsCommand,
  promoteCommand,
  promoteHelp,
} from './promote-command.ts';
import { doctorCommand, imagesCommand, vercelOutputCommand, vercelOutputHelp } from './machine-commands.ts';
import { simCommand, simHelp } from './sim-command.ts';
import { downCommand, logsCommand, stackHelp, statusCommand, upCommand } from './stack-commands.ts';

const commands: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  sim: simCommand,
  load: loadCommand,
  doctor: doctorCommand,
  images: imagesCommand,
  up: upCommand,
  down: downCommand,
  status: statusCommand,
  logs: logsCommand,
  cluster: clusterCommand,
  'vercel-output': vercelOutputCommand,
  promote: promoteCommand,
  platforms: platformsCommand,
  'gate-key': gateKeyCommand,
  'render-blueprint': blueprintCommand,
};

const help = `usage: node harness/src/cli/main.ts <command> [options]   (or npm run <command> -- [options])
  sim            rehearse production end to end and write the gate report
  load           the k6 load test alone (see below)
  doctor         check this machine: Node, Docker, Compose, disk, ports, base images, env files
  images         build the backend, frontend and proxy images (skipped when up to date)
  up             start the developer stack (--dev, default) or a rehearsal (--rehearsal)
  down           remove the developer stack (--dev) or rehearsals left up (--rehearsal)
  status         what is running: services, state, health, ports
  logs           a stack's logs (--dev or --rehearsal, optional service, --follow)
  cluster        the local Kubernetes cluster: up, down, status (see below)
  vercel-output  Vercel's Build Output from the frontend image (npm run vercel:output)
  promote        ship the images a signed, passing report names, by digest (see below)
  platforms      local stand-ins of the registry, Railway, Vercel and Render
  gate-key       a key pair for signing gate reports
  render-blueprint  render.yaml for the backend image (--image repo@sha256:…)

${simHelp}

${loadHelp}

${stackHelp}

${clusterHelp}

${vercelOutputHelp}

${promoteHelp}`;

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command)
    throw new UsageError(`unknown command "${name}"; one of: ${Object.keys(commands).join(', ')}`);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  return command(args, process.env);
}

/** Runs one command line; its exit code. A mistake, or a run that could not start, is written to stderr. */
export async function runCommandLine(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof RunFailure) {
      const { step, service, message, hint, logTail } = error.detail;
      process.stderr.write(
        `could not run: ${step}${service ? ` (${service})` : ''}: ${message}\n  try: ${hint}\n`,
      );
      for (const line of logTail) process.stderr.write(`    ${line}\n`);
      return 2;
    }
    const known =
      error instanceof UsageError ||
      error instanceof ThresholdError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${known ? '' : 'harness: '}${(error as Error).message}\n`);
    if (!known) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 2;
  }
}
