#!/usr/bin/env node
// The harness's command line: `node harness/src/cli/main.ts <command>`, behind
// the root package.json's scripts (npm run sim, doctor, images, up, down, status, logs).
import { ThresholdError } from '../gate/index.ts';
import { RunFailure } from '../sim/index.ts';
import { doctorCommand, imagesCommand } from './machine.ts';
import { loadCommand, loadHelp } from './load.ts';
import { simCommand, simHelp } from './sim.ts';
import { downCommand, logsCommand, stackHelp, statusCommand, upCommand } from './stack.ts';
import { UsageError } from './usage.ts';

const commands: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  sim: simCommand,
  load: loadCommand,
  doctor: doctorCommand,
  images: imagesCommand,
  up: upCommand,
  down: downCommand,
  status: statusCommand,
  logs: logsCommand,
};

const help = `usage: node harness/src/cli/main.ts <command> [options]   (or npm run <command> -- [options])
  sim      rehearse production end to end and write the gate report
  load     the k6 load test alone (see below)
  doctor   check this machine: Node, Docker, Compose, disk, ports, base images, env files
  images   build the backend, frontend and proxy images (skipped when up to date)
  up       start the developer stack (--dev, default) or a rehearsal (--rehearsal)
  down     remove the developer stack (--dev) or rehearsals left up (--rehearsal)
  status   what is running: services, state, health, ports
  logs     a stack's logs (--dev or --rehearsal, optional service, --follow)

${simHelp}

${loadHelp}

${stackHelp}`;

async function main(argv: string[]): Promise<number> {
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

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof RunFailure) {
    const { step, service, message, hint, logTail } = error.detail;
    process.stderr.write(
      `could not run: ${step}${service ? ` (${service})` : ''}: ${message}\n  try: ${hint}\n`,
    );
    for (const line of logTail) process.stderr.write(`    ${line}\n`);
    process.exit(2);
  }
  const known =
    error instanceof UsageError ||
    error instanceof ThresholdError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${known ? '' : 'harness: '}${(error as Error).message}\n`);
  if (!known) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  process.exitCode = 2;
}
// Docker event streams and HTTP agents may still hold the loop; the work is done.
process.exit(process.exitCode);
