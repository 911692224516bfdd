// npm run load: the k6 journey alone, against --target, a rehearsal left
// running, or (when neither) a rehearsal started for it and removed afterwards.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Docker from 'dockerode';
import {
  describeReconciliation,
  findK6,
  k6Missing,
  loadProfiles,
  runLoad,
  tasksLost,
  type LoadProfile,
} from '../load/index.ts';
import { repoRoot } from '../paths.ts';
import { mark, table } from '../report/index.ts';
import { startStandaloneRehearsal, type SimLoad } from '../sim/index.ts';
import { listProjects, projectContainers, readCaCertificate, stackProjectName } from '../stack/index.ts';
import { UsageError } from './usage.ts';

export const loadHelp = `npm run load -- [options]
  --target URL        where to send the load (default: a rehearsal left running, else one started for it)
  --profile NAME      smoke (default), load, spike, soak or capacity
  --users N           virtual users for load, spike (peak: twice that), soak, capacity (default 100)
  --duration D        how long the profile holds, e.g. 60s, 5m
  --reports-dir DIR   where reports/load-<time>/ goes (default reports/)
  Exit codes: 0 thresholds held, 1 a threshold was crossed, 2 could not run.`;

/** The HTTPS URL and CA of a rehearsal left running (up --rehearsal, sim --keep). */
async function keptRehearsal(): Promise<
  { baseUrl: string; caCertificate: string; projectName: string } | undefined
> {
  const project = (await listProjects()).filter((p) => p.startsWith('todo-kept-')).at(-1);
  if (!project) return undefined;
  const proxy = (await projectContainers(project)).find(
    (c) => c.service === 'proxy' && c.state === 'running',
  );
  if (!proxy) return undefined;
  const info = await new Docker().getContainer(proxy.id).inspect();
  const port = info.Config.Env.find((entry) => entry.startsWith('HTTPS_PORT='))?.split('=')[1];
  return port
    ? {
        baseUrl: `https://localhost:${port}`,
        caCertificate: await readCaCertificate(proxy.id),
        projectName: project,
      }
    : undefined;
}

/** --profile, --users and --duration, checked; a mistake is one line (UsageError). */
export function loadOptions(values: { profile: string; users?: string; duration?: string }): SimLoad {
  const profile = values.profile as LoadProfile;
  if (!loadProfiles.includes(profile)) {
    throw new UsageError(`--profile ${values.profile}: one of ${loadProfiles.join(', ')}`);
  }
  const users = values.users === undefined ? undefined : Number(values.users);
  if (users !== undefined && !(Number.isInteger(users) && users > 0)) {
    throw new UsageError(`--users ${values.users ?? ''}: expected a whole number above 0`);
  }
  if (users !== undefined && profile === 'smoke') {
    throw new UsageError(
      '--users: the smoke profile is one user; choose --profile load, spike, soak or capacity',
    );
  }
  if (values.duration !== undefined && (profile === 'smoke' || profile === 'capacity')) {
    throw new UsageError(
      `--duration: the ${profile} profile has no hold to set; it applies to load, spike and soak`,
    );
  }
  if (values.duration !== undefined && !/^(\d+(ms|s|m|h))+$/.test(values.duration)) {
    throw new UsageError(`--duration ${values.duration}: expected a k6 duration such as 60s, 5m or 1m30s`);
  }
  return {
    profile,
    ...(users === undefined ? {} : { users }),
    ...(values.duration === undefined ? {} : { duration: values.duration }),
  };
}

export async function loadCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string' },
      profile: { type: 'string', default: 'smoke' },
      users: { type: 'string' },
      duration: { type: 'string' },
      'reports-dir': { type: 'string' },
    },
    strict: true,
  });
  const { profile, users, duration } = loadOptions(values);
  if (values.target && !/^https?:\/\/[^/]+/.test(values.target)) {
    throw new UsageError(`--target ${values.target}: expected a URL such as https://localhost:8443`);
  }
  if (!findK6(env)) throw new UsageError(k6Missing);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(values['reports-dir'] ?? join(repoRoot, 'reports'), `load-${stamp}`);
  let target = values.target ? { baseUrl: values.target.replace(/\/$/, '') } : await keptRehearsal();
  let teardown = async () => undefined as unknown;
  // Ctrl-C or a SIGTERM stops k6 at once; a rehearsal started here is then removed (below).
  const stopK6 = new AbortController();
  const onSignal = () => {
    stopK6.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (!target) {
    const projectName = stackProjectName('load');
    const { rehearsal, interrupts } = await startStandaloneRehearsal({
      projectName,
      step: 'load',
      // 100 users sign up and in from one address; the per-account lockout stays as in production.
      env: { RATE_LIMIT_AUTH_MAX: env.RATE_LIMIT_AUTH_MAX ?? '100000' },
    });
    target = { baseUrl: rehearsal.baseUrl, caCertificate: rehearsal.caCertificate, projectName };
    teardown = async () => {
      interrupts.dispose();
      await rehearsal.down();
    };
  }
  try {
    process.stdout.write(`k6 ${profile} against ${target.baseUrl}\n`);
    const { result, reconciliation, reconciliationError } = await runLoad({
      baseUrl: target.baseUrl,
      profile,
      outDir,
      runTag: stamp,
      projectName: 'projectName' in target ? target.projectName : undefined,
      ...('caCertificate' in target && target.caCertificate ? { caCertificate: target.caCertificate } : {}),
      ...(users === undefined ? {} : { users }),
      ...(duration ? { duration } : {}),
      onLine: (line) => process.stdout.write(`${line}\n`),
      signal: stopK6.signal,
    });
    const rows = Object.entries(result.summary?.metrics ?? {}).flatMap(([metric, data]) =>
      Object.entries(data.thresholds ?? {}).map(([expression, verdict]) => {
        const aggregation = /^[a-z]+(\(\d+(\.\d+)?\))?/.exec(expression)?.[0] ?? '';
        const value = data.values[aggregation];
        return [
          metric,
          expression,
          value === undefined ? '–' : String(Math.round(value * 1000) / 1000),
          mark(verdict.ok),
        ];
      }),
    );
    process.stdout.write(`\n${table(['metric', 'threshold', 'measured', 'verdict'], rows)}\n`);
    process.stdout.write(`summary: ${result.summaryPath}\nreport:  ${result.dashboardPath}\n`);
    if (reconciliation) {
      process.stdout.write(`reconciled with the database: ${describeReconciliation(reconciliation)}\n`);
    } else if (reconciliationError) {
      process.stdout.write(`not reconciled with the database: ${reconciliationError}\n`);
    }
    // A database that could not be read cannot vouch that nothing was lost.
    const lost =
      reconciliationError !== undefined || (reconciliation !== null && tasksLost(reconciliation) > 0);
    if (lost) return 1;
    if (result.exitCode === 0) return 0;
    if (result.exitCode === 99) return 1;
    process.stderr.write(`k6 could not run (exit ${result.exitCode}); its output is above\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
  }
}
