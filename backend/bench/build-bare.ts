// The bare reference server (bare-server.ts) bundled like the API (one ES
// module with its dependencies), with a Dockerfile that adds it to the
// backend image: the topology benchmark runs it in the backend's place.
// Usage: node bench/build-bare.ts <out dir> <backend image>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const [outDir, backendImage] = process.argv.slice(2);
if (!outDir || !backendImage) {
  process.stderr.write('usage: node bench/build-bare.ts <out dir> <backend image>\n');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: { bare: 'bench/bare-server.ts' },
  outdir: outDir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['pg-native'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  absWorkingDir: join(import.meta.dirname, '..'),
});
// FROM the backend image: the same Node, the same migrations (the rehearsal's
// migrate service runs this image too), the same user; only the server differs.
writeFileSync(
  join(outDir, 'Dockerfile'),
  [`FROM ${backendImage}`, 'COPY bare.mjs /app/bare.mjs', 'CMD ["node", "/app/bare.mjs"]', ''].join('\n'),
);
