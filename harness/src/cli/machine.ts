import { parseArgs } from 'node:util';
import { formatFinding, runDoctor } from '../doctor/index.ts';
import { buildImagesPhase } from '../sim/index.ts';

export async function doctorCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const findings = await runDoctor(env);
  for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
  const failed = findings.filter((f) => f.status === 'fail').length;
  process.stdout.write(
    failed ? `${failed} problem(s) to fix before npm run sim\n` : 'ready for npm run sim\n',
  );
  return failed ? 2 : 0;
}

export async function imagesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const images = await buildImagesPhase((line) => {
    if (!values.json) process.stdout.write(`${line}\n`);
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
  } else {
    for (const [name, image] of Object.entries(images)) {
      process.stdout.write(
        `${name.padEnd(8)} ${image.reference}  ${image.id}  ${image.built ? `built in ${(image.buildMs / 1000).toFixed(1)} s` : 'up to date'}\n`,
      );
    }
  }
  return 0;
}
