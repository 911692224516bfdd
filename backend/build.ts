// Production build: each entry bundled into one ES module with its dependencies.
// One file loads several times faster than thousands in node_modules (start-up
// ~0.5 s instead of ~1.2 s, ~25 MB less memory; see bench/results/backend.md),
// and the image needs no node_modules at all.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts', migrate: 'src/migrations/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // What is imported on first use (the assistant's AI SDK, the MCP SDK) goes to chunks of
  // its own, loaded then: out of start-up and out of an idle replica's memory.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  external: ['pg-native'],
  // Bundled CommonJS packages still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  absWorkingDir: import.meta.dirname,
});
