// `npm run sim`: doctor → images → rehearsal up → scenarios → load → collect →
// gate → report → teardown. Teardown always runs: on success, failure and
// interrupt; --keep leaves the stack up instead.
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { Listr, ListrLogger, PRESET_TIMER, ProcessOutput, type ListrTask } from 'listr2';
import { saveLogs, sampleStats, type ServiceUsage, type StatsSampler } from '../collect/index.ts';
import { runDoctor } from '../doctor/index.ts';
import { judge, Metrics, type GateResult, type Threshold } from '../gate/index.ts';
import {
  renderSummary,
  writeReport,
  type PhaseRecord,
  type ScenarioRecord,
  type SimReport,
} from '../report/index.ts';
import {
  projectContainers,
  removeProject,
  stackProjectName,
  startRehearsal,
  type StartedRehearsal,
} from '../stack/index.ts';
import { RunFailure } from './failure.ts';
import { buildImagesPhase, startFailure, type SimImages } from './phases.ts';
import { configHash, gitInfo, stackSettings } from './provenance.ts';
import { runScenarios } from './scenarios.ts';
import { serviceRecords } from './services.ts';

export interface SimOptions {
  thresholds: Threshold[];
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
  // Every scenario user signs up from one address; the per-account sign-in lockout stays at its production value.
  RATE_LIMIT_AUTH_MAX: env.RATE_LIMIT_AUTH_MAX ?? '1000',
});

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
  let rehearsal: StartedRehearsal | undefined;
  let sampler: StatsSampler | undefined;
  let usage: ServiceUsage[] = [];
  let failure: RunFailure | undefined;
  let current = 'doctor';

  let interrupt: (error: RunFailure) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  interrupted.catch(() => undefined);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      options.progress.write(`\n${signal} again: removing ${projectName} and exiting now\n`);
      void removeProject(projectName).finally(() => process.exit(130));
      return;
    }
    options.progress.write(`\n${signal}: stopping; the stack is being removed (press again to force)\n`);
    interrupt(
      new RunFailure({
        step: current,
        message: `interrupted by ${signal}`,
        hint: 'run it again when you are ready',
      }),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const saveAllLogs = async () => {
    const containers = await projectContainers(projectName).catch(() => []);
    const files = await saveLogs(new Map(containers.map((c) => [c.id, c.service])), join(dir, 'logs')).catch(
      () => [],
    );
    for (const file of files) logs.set(file.replace(/^.*\//, '').replace(/\.log$/, ''), relative(dir, file));
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
        const detail = await Promise.race([work((line) => (task.output = line)), interrupted]);
        record('passed', detail || undefined);
        if (detail) task.title = `${name}: ${detail}`;
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
      rehearsal = await startRehearsal({
        images: {
          backend: images.backend?.reference ?? '',
          frontend: images.frontend?.reference ?? '',
          proxy: images.proxy?.reference ?? '',
        },
        projectName,
        env: rehearsalDefaults(options.env),
        abort: interrupted,
        startupTimeoutMs: options.startupTimeoutMs,
        onStartFailure: saveAllLogs,
      }).catch((error: unknown) => {
        throw startFailure(error, join(dir, 'logs'));
      });
      const running = await projectContainers(projectName);
      sampler = sampleStats(
        new Map(running.filter((c) => c.state === 'running').map((c) => [c.id, c.service])),
      );
      return rehearsal.baseUrl;
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
    {
      title: 'load',
      task: (_, task) => {
        phases.push({
          name: 'load',
          status: 'skipped',
          durationMs: 0,
          detail: 'no k6 profile in this build yet',
        });
        task.skip('load: no k6 profile in this build yet');
      },
    },
    phase('collect', async () => {
      usage = (await sampler?.stop()) ?? [];
      sampler = undefined;
      await saveAllLogs();
      return `${logs.size} service logs, CPU and memory of ${usage.length} services`;
    }),
  ];

  const listrOptions = {
    exitOnError: true,
    registerSignalListeners: false,
    rendererOptions: {
      timer: PRESET_TIMER,
      logger: new ListrLogger({ processOutput: new ProcessOutput(options.progress, options.progress) }),
    },
    fallbackRendererOptions: {
      timer: PRESET_TIMER,
      logger: new ListrLogger({ processOutput: new ProcessOutput(options.progress, options.progress) }),
    },
    fallbackRendererCondition: !options.progress.isTTY,
  };
  try {
    await new Listr(tasks, listrOptions).run();
  } catch (error) {
    failure =
      error instanceof RunFailure
        ? error
        : new RunFailure({
            step: current,
            message: (error as Error).message,
            hint: 'read the message above; npm run doctor checks the machine',
          });
  }

  // Metrics about the services come from what Docker saw, whether or not every phase finished.
  const containers = await projectContainers(projectName).catch(() => []);
  await sampler?.stop();
  const services = serviceRecords({
    timelines: rehearsal?.watcher.timelines() ?? [],
    containers,
    usage,
    logs,
    metrics,
  });
  const kept = options.keep && rehearsal !== undefined;
  await new Listr(
    [
      {
        title: kept ? 'keep the stack' : 'teardown',
        task: async (_, task) => {
          const started = performance.now();
          if (kept) await rehearsal?.detach();
          else
            await (rehearsal?.down() ?? removeProject(projectName)).catch(() => removeProject(projectName));
          if (kept) task.title = `kept: ${rehearsal?.baseUrl ?? ''} (project ${projectName})`;
          phases.push({
            name: kept ? 'keep' : 'teardown',
            status: 'passed',
            durationMs: Math.round(performance.now() - started),
          });
        },
      },
    ],
    listrOptions,
  ).run();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);

  const gate: GateResult = failure ? { ok: false, thresholds: [] } : judge(metrics, options.thresholds);
  const verdict = failure ? 'error' : gate.ok ? 'pass' : 'fail';
  const settings = await stackSettings(composeFile, options.env, {
    ...rehearsalDefaults(options.env),
    BACKEND_IMAGE: images.backend?.reference ?? '',
    FRONTEND_IMAGE: images.frontend?.reference ?? '',
    PROXY_IMAGE: images.proxy?.reference ?? '',
  });
  const thresholdList = options.thresholds.map((t) => `${t.metric}=${t.expression}`);
  const finishedAt = new Date();
  const report: SimReport = {
    schemaVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    verdict,
    exitCode: verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 2,
    git: await gitInfo(),
    images,
    configHash: await configHash({ composeFile, env: settings, images, thresholds: thresholdList }),
    config: { composeFile, env: settings, thresholds: thresholdList },
    thresholds: gate.thresholds,
    scenarios,
    services,
    phases,
    load: null,
    ...(rehearsal ? { stack: { projectName, baseUrl: rehearsal.baseUrl, kept } } : {}),
    ...(failure ? { error: failure.detail } : {}),
    artefacts: {
      dir,
      json: join(dir, 'report.json'),
      markdown: join(dir, 'report.md'),
      junit: join(dir, 'junit.xml'),
      ...(scenarios.some((s) => s.kind === 'browser' && !s.skipped)
        ? { browser: join(dir, 'browser-flow') }
        : {}),
    },
  };
  await writeReport(report, options.env);
  options.progress.write(`${renderSummary(report)}\n`);
  return report;
}
