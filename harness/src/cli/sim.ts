import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveThresholds } from '../gate/index.ts';
import { repoRoot } from '../paths.ts';
import { findK6, k6Missing } from '../load/index.ts';
import { runSim } from '../sim/index.ts';
import { loadOptions } from './load.ts';
import { UsageError } from './usage.ts';

export const simHelp = `npm run sim -- [options]
  Builds the images, starts the production rehearsal, runs the scenarios and the
  k6 load, judges the thresholds, writes reports/<run-id>/ and removes the stack.
  --profile NAME         the load: load (default: ramp to 100 users and hold), smoke, spike, soak or capacity
  --users N              virtual users of the load (default 100; spike peaks at twice that)
  --duration D           how long the load holds, e.g. 60s, 5m
  --no-load              scenarios only (the load's thresholds are dropped)
  --threshold NAME=EXPR  replace the thresholds of metric NAME (repeatable), e.g. 'http_req_duration=p(95)<300'
                         (also SIM_THRESHOLDS='NAME=EXPR;NAME=EXPR')
  --keep                 leave the stack running and print its URL (npm run down -- --rehearsal removes it)
  --no-browser           skip the browser flow (API scenarios only)
  --json                 print the report as JSON on stdout (progress goes to stderr)
  --reports-dir DIR      where reports go (default reports/, or SIM_REPORTS_DIR)
  --startup-timeout S    seconds the stack may take to become healthy (default 180)
  Exit codes: 0 gate passed, 1 gate failed, 2 could not run.`;

export async function simCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      threshold: { type: 'string', multiple: true },
      profile: { type: 'string', default: 'load' },
      users: { type: 'string' },
      duration: { type: 'string' },
      'no-load': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-browser': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'reports-dir': { type: 'string' },
      'startup-timeout': { type: 'string', default: '180' },
    },
    strict: true,
    allowPositionals: false,
  });
  const timeout = Number(values['startup-timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new UsageError(`--startup-timeout ${values['startup-timeout']}: expected a number of seconds`);
  }
  const load = values['no-load'] ? null : loadOptions(values);
  if (load && !findK6(env)) throw new UsageError(`${k6Missing} (or run npm run sim -- --no-load)`);
  const thresholds = resolveThresholds({
    flags: values.threshold ?? [],
    env: env.SIM_THRESHOLDS,
    load: load?.profile ?? null,
  });
  const report = await runSim({
    thresholds,
    load,
    keep: values.keep,
    browser: values['no-browser'] ? 'off' : 'auto',
    reportsDir: values['reports-dir'] ?? env.SIM_REPORTS_DIR ?? join(repoRoot, 'reports'),
    startupTimeoutMs: timeout * 1000,
    progress: values.json ? process.stderr : process.stdout,
    env,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.exitCode;
}
