/* eslint-disable no-console -- a command-line tool */
// npm run vercel:output -- --backend-url https://api.example.com [--image todo-frontend:<tag>] [--out .vercel/output]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildImage } from '../images/index.ts';
import { repoRoot } from '../paths.ts';
import { writeVercelOutput } from './vercel-output.ts';

try {
  const { values } = parseArgs({
    options: {
      'backend-url': { type: 'string' },
      image: { type: 'string' },
      out: { type: 'string', default: '.vercel/output' },
    },
  });
  const image = values.image ?? (await buildImage('frontend')).tag;
  const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  const { files } = await writeVercelOutput({
    image,
    backendUrl: values['backend-url'] ?? process.env.BACKEND_URL ?? '',
    outDir,
    caddyfile: resolve(repoRoot, 'frontend/Caddyfile'),
  });
  console.log(`wrote ${outDir}: ${files} static files from ${image}, /api/* rewritten to the backend`);
} catch (error) {
  console.error(`vercel:output: ${(error as Error).message}`);
  process.exit(2);
}
