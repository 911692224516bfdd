// `npm run sim`: doctor → images → rehearsal up → scenarios → load → collect →
// gate → report → teardown. Teardown always runs: on success, failure and
// interrupt; --keep leaves the stack up instead (not after an interrupt).
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { Listr, ListrLogger, PRESET_TIMER, ProcessOutput, type ListrTask } from 'listr2';
import { saveLogs, sampleStats, type ServiceUsage, type StatsSampler } from '../collect/index.ts';
import { runDoctor } from '../doctor/index.ts';
import { Metrics, type Threshold } from '../gate/index.ts';
import {
  renderSummary,
  writeReport,
  type PhaseRecord,
  type LoadRecord,
  type ScenarioRecord,
  type SimReport,
} from '../report/index.ts';
import {
  projectContainers,
  projectLeftovers,
  removeProject,
  stackProjectName,
  startRehearsal,
  type StartedRehearsal,
} from '../stack/index.ts';
import { assembleReport } from './assemble.ts';
import { RunFailure } from './failure.ts';
import { buildImagesPhase, imageReferences, startFailure, type SimImages } from './phases.ts';
import { runLoadPhase, type SimLoad } from './load.ts';
import { runScenarios } from './scenarios.ts';
import { serviceRecords } from './services.ts';
import { listenForInterrupts } from './signals.ts';

export interface SimOptions {
  thresholds: Threshold[];
  /** The k6 load after the scenarios; null: none (--no-load). */
  load: SimLoad | null;
  /** Leave the stack running afterwards and print its URL. */
  keep: boolean;
  browser: 'auto' | 'off';
  reportsDir: string;
  startupTimeoutMs: number;
  /** Progress goes here (stderr when stdout carries --json). */
  progress: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const composeFile = 'docker-compose.prod.yml';

/** Settings the rehearsal needs that production does not: see the README's differences table. */
export const rehearsalDefaults = (env: NodeJS.ProcessEnv): Record<string, string> => ({
  // Every scenario and load user signs up and in from one address; the
  // per-account sign-in lockout stays at its production value.
  RATE_LIMIT_AUTH_MAX: env.RATE_LIMIT_AUTH_MAX ?? '100000',
});

const listrOptions = (progress: NodeJS.WriteStream) => {
  const logger = () => new ListrLogger({ processOutput: new ProcessOutput(progress, progress) });
  return {
    exitOnError: true,
    registerSignalListeners: false,
    rendererOptions: { timer: PRESET_TIMER, logger: logger() },
    fallbackRendererOptions: { timer: PRESET_TIMER, logger: logger() },
    fallbackRendererCondition: !progress.isTTY,
  };
};

export async function runSim(options: SimOptions): Promise<SimReport> {
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`;
  const dir = join(options.reportsDir, runId);
  const projectName = options.keep ? `todo-kept-${randomBytes(3).toString('hex')}` : stackProjectName('sim');
  const metrics = new Metrics();
  const phases: PhaseRecord[] = [];
  const logs = new Map<string, string>();
  let images: SimImages = {};
  let scenarios: ScenarioRecord[] = [];
  let load: LoadRecord | null = null;
  /** Stops k6 when the run is interrupted. */
  const stopLoad = new AbortController();
  let rehearsal: StartedRehearsal | undefined;
  /** The start in flight: an interrupt waits for it to clean up after itself. */
  let starting: Promise<unknown> | undefined;
  let sampler: StatsSampler | undefined;
  let usage: ServiceUsage[] = [];
  let failure: RunFailure | undefined;
  let current = 'doctor';
  const interrupts = listenForInterrupts({
    progress: options.progress,
    step: () => current,
    force: () => removeProject(projectName),
  });
  interrupts.interrupted.catch(() => {
    stopLoad.abort();
  });

  const saveAllLogs = async () => {
    const containers = await projectContainers(projectName).catch(() => []);
    const files = await saveLogs(new Map(containers.map((c) => [c.id, c.service])), join(dir, 'logs')).catch(
      () => new Map<string, string>(),
    );
    for (const [service, file] of files) logs.set(service, relative(dir, file));
  };
  const stopSampling = async () => {
    const seen = await sampler?.stop();
    sampler = undefined;
    if (seen) usage = seen;
  };

  const phase = (name: string, work: (output: (line: string) => void) => Promise<string>): ListrTask => ({
    title: name,
    task: async (_, task) => {
      current = name;
      const started = performance.now();
      const record = (status: PhaseRecord['status'], detail?: string) =>
        phases.push({
          name,
          status,
          durationMs: Math.round(performance.now() - started),
          ...(detail ? { detail } : {}),
        });
      try {
        const detail = await Promise.race([work((line) => (task.output = line)), interrupts.interrupted]);
        record('passed', detail);
        task.title = `${name}: ${detail}`;
      } catch (error) {
        record('failed');
        throw error;
      }
    },
  });

  const tasks: ListrTask[] = [
    phase('doctor', async () => {
      const findings = await runDoctor(options.env);
      const failed = findings.filter((f) => f.status === 'fail');
      if (failed.length) {
        throw new RunFailure({
          step: 'doctor',
          message: failed.map((f) => `${f.check}: ${f.detail}`).join('; '),
          hint: failed.map((f) => f.fix).join('; '),
        });
      }
      const warnings = findings.filter((f) => f.status === 'warn').length;
      return `${findings.length - warnings} ok${warnings ? `, ${warnings} warning(s) (npm run doctor)` : ''}`;
    }),
    phase('images', async (output) => {
      images = await buildImagesPhase(output);
      const built = Object.values(images).filter((image) => image.built).length;
      return built ? `${built} built, ${3 - built} up to date` : 'all 3 up to date';
    }),
    phase('rehearsal up', async (output) => {
      output(`starting ${projectName} (${composeFile})`);
      const start = startRehearsal({
        images: imageReferences(images),
        projectName,
        env: rehearsalDefaults(options.env),
        abort: interrupts.interrupted,
        startupTimeoutMs: options.startupTimeoutMs,
        onStartFailure: saveAllLogs,
      }).then((started) => (rehearsal = started));
      starting = start.catch(() => undefined);
      await start.catch((error: unknown) => {
        throw startFailure(error, join(dir, 'logs'));
      });
      const running = await projectContainers(projectName);
      sampler = sampleStats(
        new Map(running.filter((c) => c.state === 'running').map((c) => [c.id, c.service])),
      );
      return rehearsal?.baseUrl ?? '';
    }),
    phase('scenarios', async (output) => {
      const stack = rehearsal as StartedRehearsal;
      scenarios = await runScenarios({
        baseUrl: stack.baseUrl,
        fetch: stack.fetch as unknown as Parameters<typeof runScenarios>[0]['fetch'],
        metrics,
        artefactsDir: dir,
        browser: options.browser,
        signInFailuresMax: Number(options.env.RATE_LIMIT_SIGNIN_FAILURES_MAX ?? 5),
        onProgress: output,
      });
      const failed = scenarios.filter((s) => !s.ok).length;
      const skipped = scenarios.filter((s) => s.skipped).length;
      return `${scenarios.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    }),
    options.load
      ? phase('load', async (output) => {
          const ran = await runLoadPhase({
            load: options.load as SimLoad,
            rehearsal: rehearsal as StartedRehearsal,
            projectName,
            dir,
            runId,
            thresholds: options.thresholds,
            metrics,
            signal: stopLoad.signal,
            output,
            tickMs: options.progress.isTTY ? 1000 : 15_000,
          });
          load = ran.record;
          return ran.detail;
        })
      : {
          title: 'load',
          task: (_, task) => {
            phases.push({ name: 'load', status: 'skipped', durationMs: 0, detail: 'turned off (--no-load)' });
            task.skip('load: turned off (--no-load)');
          },
        },
    phase('collect', async () => {
      await stopSampling();
      await saveAllLogs();
      return `${logs.size} service logs, CPU and memory of ${usage.length} services`;
    }),
  ];

  try {
    await new Listr(tasks, listrOptions(options.progress)).run();
  } catch (error) {
    failure =
      error instanceof RunFailure
        ? error
        : new RunFailure({
            step: current,
            message: (error as Error).message,
            hint: 'read the message above; npm run doctor checks the machine',
          });
    // An interrupted start is still cleaning up after itself; let it finish first.
    await starting;
    if (rehearsal && current !== 'collect') {
      await stopSampling();
      await saveAllLogs();
    }
  }

  // What Docker saw of the services, whether or not every phase finished.
  const containers = await projectContainers(projectName).catch(() => []);
  await stopSampling();
  const services = serviceRecords({
    timelines: rehearsal?.watcher.timelines() ?? [],
    containers,
    usage,
    logs,
    metrics,
  });
  const kept = options.keep && rehearsal !== undefined && !interrupts.happened();
  await new Listr([teardownTask()], listrOptions(options.progress)).run().catch(() => undefined);
  interrupts.dispose();

  function teardownTask(): ListrTask {
    return {
      title: kept ? 'keep the stack' : 'teardown',
      task: async (_, task) => {
        const started = performance.now();
        const name = kept ? 'keep' : 'teardown';
        try {
          if (kept) await rehearsal?.detach();
          else
            await (rehearsal?.down() ?? removeProject(projectName)).catch(() => removeProject(projectName));
          if (kept) task.title = `kept: ${rehearsal?.baseUrl ?? ''} (project ${projectName})`;
          phases.push({ name, status: 'passed', durationMs: Math.round(performance.now() - started) });
        } catch (error) {
          const left = await projectLeftovers(projectName).catch(() => []);
          const detail = `left behind: ${left.join(', ') || 'unknown'} (npm run down -- --rehearsal removes it)`;
          phases.push({
            name,
            status: 'failed',
            durationMs: Math.round(performance.now() - started),
            detail,
          });
          failure ??= new RunFailure({ step: 'teardown', message: (error as Error).message, hint: detail });
          throw error;
        }
      },
    };
  }

  const report = await assembleReport({
    runId,
    startedAt,
    dir,
    composeFile,
    ownSettings: rehearsalDefaults(options.env),
    env: options.env,
    thresholds: options.thresholds,
    metrics,
    images,
    scenarios,
    load,
    services,
    phases,
    ...(rehearsal ? { stack: { projectName, baseUrl: rehearsal.baseUrl, kept } } : {}),
    ...(failure ? { failure } : {}),
  });
  await writeReport(report, options.env);
  options.progress.write(`${renderSummary(report)}\n`);
  return report;
}
