#!/usr/bin/env node
// The harness's command line: `node harness/src/cli/main.ts <command>`, behind
// the root package.json's scripts (npm run sim, load, doctor, images, up, down, status, logs).
import { runCommandLine } from './index.ts';

const code = await runCommandLine(process.argv.slice(2));
// Docker event streams and HTTP agents may still hold the loop; the work is done.
process.exit(code);
