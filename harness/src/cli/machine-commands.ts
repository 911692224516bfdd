// doctor, images and vercel-output: the machine, the images, and what is made from them.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBackendUrl, writeVercelOutput } from '../deploy/index.ts';
import { UsageError } from '../errors/index.ts';
import { formatFinding, runDoctor } from '../doctor/index.ts';
import { buildImage, buildImageSet } from '../images/index.ts';
import { repoRoot } from '../paths.ts';

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
  const images = await buildImageSet((line) => {
    if (!values.json) process.stdout.write(`${line}\n`);
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
    return 0;
  }
  for (const [name, image] of Object.entries(images)) {
    const how = image.built ? `built in ${(image.buildMs / 1000).toFixed(1)} s` : 'up to date';
    process.stdout.write(`${name.padEnd(8)} ${image.reference}  ${image.id}  ${how}\n`);
  }
  return 0;
}

export const vercelOutputHelp = `npm run vercel:output -- --backend-url https://api.example.com [--image todo-frontend:<tag>] [--out .vercel/output]
  Vercel's Build Output (v3) from the frontend image's own files, /api/* rewritten to the backend.`;

export async function vercelOutputCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'backend-url': { type: 'string' },
      image: { type: 'string' },
      out: { type: 'string', default: '.vercel/output' },
    },
    strict: true,
  });
  const backendUrl = values['backend-url'] ?? env.BACKEND_URL ?? '';
  try {
    parseBackendUrl(backendUrl);
  } catch (error) {
    throw new UsageError(`--backend-url: ${(error as Error).message}`);
  }
  const image = values.image ?? (await buildImage('frontend')).tag;
  const outDir = resolve(env.INIT_CWD ?? process.cwd(), values.out);
  const { files } = await writeVercelOutput({
    image,
    backendUrl,
    outDir,
    caddyfile: resolve(repoRoot, 'frontend/Caddyfile'),
  });
  process.stdout.write(
    `wrote ${outDir}: ${files} static files from ${image}, /api/* rewritten to the backend\n`,
  );
  return 0;
}
