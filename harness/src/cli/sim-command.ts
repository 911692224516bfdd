import { parseArgs } from 'node:util';
import { UsageError } from '../errors/index.ts';
import { drillThresholds, platformDrills } from '../faults/index.ts';
import { inCi, metricInfo, relativeDefaults, resolveRelative, resolveThresholds } from '../gate/index.ts';
import { endpointGroups } from '@todo/loadtests/thresholds';
import { localClusterUnavailable } from '../kubernetes/index.ts';
import { k6FromImage, k6Missing, resolveK6 } from '../load/index.ts';
import { namedBaseline, readKey, signBytes, type Baseline } from '../report/index.ts';
import { kindOfRun, runSim } from '../sim/index.ts';
import {
  faultOptions,
  loadFlags,
  loadFlagsHelp,
  loadOptions,
  reportsDir,
  reportsDirFlag,
} from './options.ts';

export const simHelp = `npm run sim -- [options]
  Builds the images, starts the production rehearsal, runs the scenarios and the
  k6 load, judges the thresholds, writes reports/<run-id>/ and removes the stack.
${loadFlagsHelp} (default load: ramp to 100 users and hold)
  --no-load              scenarios only (the load's thresholds are dropped)
  --faults               fault drills during the load (100 users, held as long as the drills take):
                         Compose: a replica crash, Postgres restarts, Redis hangs, Postgres slow, the proxy restarts;
                         Kubernetes: a backend pod deleted, a helm upgrade to a new image, a helm rollback;
                         each judged by its own thresholds, the load's thresholds by the steady state
  --drills LIST          with --faults, only these drills (comma-separated): ${platformDrills.compose.join(', ')}
                         (Kubernetes: ${platformDrills.kubernetes.join(', ')})
  --threshold NAME=EXPR  replace the thresholds of metric NAME (repeatable), e.g. 'http_req_duration=p(95)<300'
                         (also SIM_THRESHOLDS='NAME=EXPR;NAME=EXPR')
  --relative NAME=EXPR   an objective against the baseline (repeatable), replacing the defaults for NAME:
                         'http_req_duration{group:tasks:list}=p(95)<=+10%' fails beyond +10%;
                         '...=p(95)<=+50%/+100%' warns beyond +50% and fails beyond +100% (the load's default,
                         for every request and each endpoint group; latency within 5 ms of the baseline passes)
  --baseline DIR         compare with this run (reports/<id> or its report.json) instead of the latest
                         passing run of the same kind (platform, load, drills) under the reports folder;
                         --baseline none compares with nothing
  --platform NAME        compose (default: docker-compose.prod.yml) or kubernetes (the Helm chart on the
                         local single-node cluster, started for the run unless it runs already; root on Linux,
                         bash scripts/kubernetes.sh builds it once)
  --keep                 leave the stack running and print its URL (npm run down -- --rehearsal removes it)
  --no-browser           skip the browser flow (API scenarios only)
  --json                 print the report as JSON on stdout (progress goes to stderr)
  --reports-dir DIR      where reports go (default reports/, or SIM_REPORTS_DIR)
  --startup-timeout S    seconds the stack may take to become healthy (default 180)
  Exit codes: 0 gate passed, 1 gate failed, 2 could not run.`;

/**
 * --baseline: a named run (checked now, before anything is built), none, or
 * the latest passing run. A named run of another kind compares with nothing,
 * said up front (CI hands over main's last run, whatever a pull request changed).
 */
async function baseline(
  named: string | undefined,
  kind: string,
  say: (line: string) => void,
): Promise<Baseline | 'latest' | 'none'> {
  if (named === undefined) return 'latest';
  if (named === 'none') return 'none';
  const found = await namedBaseline(named).catch((error: unknown) => {
    throw new UsageError((error as Error).message);
  });
  if (found.report.runKind === kind) return found;
  say(
    `--baseline ${named}: that run was ${found.report.runKind ?? 'made by an older harness'}, this one is ${kind}: nothing will be compared`,
  );
  return 'none';
}

export async function simCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      threshold: { type: 'string', multiple: true },
      relative: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      ...loadFlags,
      'no-load': { type: 'boolean', default: false },
      faults: { type: 'boolean', default: false },
      drills: { type: 'string' },
      keep: { type: 'boolean', default: false },
      platform: { type: 'string', default: 'compose' },
      'no-browser': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...reportsDirFlag,
      'startup-timeout': { type: 'string', default: '180' },
    },
    strict: true,
    allowPositionals: false,
  });
  const timeout = Number(values['startup-timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new UsageError(`--startup-timeout ${values['startup-timeout']}: expected a number of seconds`);
  }
  if (env.GATE_SIGNING_KEY) {
    try {
      signBytes(Buffer.from('check'), readKey(env.GATE_SIGNING_KEY));
    } catch (error) {
      throw new UsageError(
        `GATE_SIGNING_KEY: ${(error as Error).message} (npm run gate-key writes a key pair)`,
      );
    }
  }
  const { platform } = values;
  if (platform !== 'compose' && platform !== 'kubernetes') {
    throw new UsageError(`--platform ${platform}: expected compose or kubernetes`);
  }
  if (platform === 'kubernetes') {
    const unavailable = await localClusterUnavailable(env);
    if (unavailable) throw new UsageError(`--platform kubernetes: ${unavailable}`);
  }
  const faults = values.faults || values.drills !== undefined ? faultOptions({ ...values, platform }) : null;
  const load = values['no-load'] ? null : loadOptions(values, 'load');
  const k6 = load ? await resolveK6(env) : undefined;
  if (load && !k6) throw new UsageError(`${k6Missing(env)} (or run npm run sim -- --no-load)`);
  // With --json, stdout carries the report: everything else goes to stderr.
  const progress = values.json ? process.stderr : process.stdout;
  if (k6?.kind === 'image') progress.write(`${k6FromImage(k6.image)}\n`);
  const thresholds = resolveThresholds({
    flags: values.threshold ?? [],
    env: env.SIM_THRESHOLDS,
    load: load?.profile ?? null,
    drills: faults ? drillThresholds(faults) : null,
    ci: inCi(env),
  });
  const relative = resolveRelative(
    relativeDefaults({ profile: load?.profile ?? null, drills: faults !== null, groups: endpointGroups }),
    values.relative ?? [],
  );
  const unmeasured = load
    ? undefined
    : relative.find((objective) => metricInfo(objective.metric)?.source === 'k6');
  if (unmeasured)
    throw new UsageError(
      `--relative ${unmeasured.metric}=${unmeasured.expression}: the load measures it, and --no-load turns the load off`,
    );
  const report = await runSim({
    platform,
    thresholds,
    relative,
    baseline: await baseline(values.baseline, kindOfRun({ platform, load, faults }), (line) =>
      progress.write(`${line}\n`),
    ),
    load,
    faults,
    keep: values.keep,
    browser: values['no-browser'] ? 'off' : 'auto',
    reportsDir: reportsDir(values['reports-dir'], env.SIM_REPORTS_DIR),
    startupTimeoutMs: timeout * 1000,
    progress,
    env,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.exitCode;
}
