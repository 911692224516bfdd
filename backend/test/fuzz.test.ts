import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicUrl, startApi, type RunningApi } from './support/api.ts';
import { password, signedUpClient } from './support/client.ts';

// Schemathesis against the document the API serves, signed in, with every
// check and every phase (examples, coverage, fuzzing, stateful): what the
// document promises, the API does. Bounded so it fits CI; FUZZ_MAX_EXAMPLES
// and FUZZ_SEED explore further by hand.
const config = fileURLToPath(new URL('fuzz/schemathesis.toml', import.meta.url));
const maxExamples = process.env.FUZZ_MAX_EXAMPLES ?? '50';
const seed = process.env.FUZZ_SEED ?? '19';
const notInstalled =
  'schemathesis is not installed: bash scripts/schemathesis.sh installs it (npm run provision does)';

interface Run {
  code: number | null;
  output: string;
}

/** Runs the schemathesis CLI; never waits synchronously, the API answers from this process. */
function schemathesis(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('schemathesis', args, {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Error(notInstalled) : error);
    });
    child.once('close', (code) => {
      resolve({ code, output });
    });
  });
}

let api: RunningApi;
let reports: string;
beforeAll(async () => {
  api = await startApi({
    // The fuzzer signs in once and then sends many requests from one address.
    // The MCP endpoint answers only to known host names; the fuzzer calls it by address.
    env: {
      RATE_LIMIT_SIGNIN_ADDRESS_FAILURES_MAX: '100000',
      RATE_LIMIT_CHAT_MAX: '100000',
      MCP_ALLOWED_HOSTS: '127.0.0.1',
    },
  });
  reports = await mkdtemp(join(tmpdir(), 'todo-fuzz-'));
});
afterAll(async () => {
  await api.close();
  await rm(reports, { recursive: true, force: true });
});

it('schemathesis finds nothing: every check, every phase, signed in', { timeout: 600_000 }, async () => {
  const user = await signedUpClient(api.url);
  const run = await schemathesis(
    [
      '--config-file',
      config,
      'run',
      `${api.url}/api/openapi.json`,
      '--checks',
      'all',
      '--max-examples',
      maxExamples,
      '--seed',
      seed,
      '--report',
      'junit',
      '--report-junit-path',
      join(reports, 'junit.xml'),
    ],
    { FUZZ_EMAIL: user.email, FUZZ_PASSWORD: password, FUZZ_ORIGIN: publicUrl },
  );
  const junit = await readFile(join(reports, 'junit.xml'), 'utf8').catch(() => '');
  // The report's totals (its first tag that counts them); no report reads as NaN, a failure.
  const count = (name: string) => Number(new RegExp(` ${name}="(\\d+)"`).exec(junit)?.[1] ?? NaN);
  const findings = `schemathesis (seed ${seed}, ${maxExamples} examples) reported:\n${run.output}`;
  expect(run.code, findings).toBe(0);
  expect({ failures: count('failures'), errors: count('errors') }, findings).toEqual({
    failures: 0,
    errors: 0,
  });
  // What it did, in the test log: operations, test cases, phases.
  process.stdout.write(`${run.output.slice(run.output.lastIndexOf('SUMMARY'))}\n`);
});
