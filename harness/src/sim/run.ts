// `npm run sim`: doctor → images → rehearsal up → scenarios → load → collect →
// gate → report → teardown. Teardown always runs: on success, failure and
// interrupt; --keep leaves the stack up instead (not after an interrupt).
import { removeProject } from '../docker/index.ts';
import { RunFailure } from '../errors/index.ts';
import { renderSummary, writeReport, type SimReport } from '../report/index.ts';
import { assembleReport } from './assemble.ts';
import { loadPhase, type LoadOutcome } from './load-phase.ts';
import { doctorPhase, imagesPhase } from './machine-phases.ts';
import { Pipeline } from '../pipeline/index.ts';
import { scenariosPhase, type ScenarioOutcome } from './scenarios-phase.ts';
import { kubernetesRecord, kubernetesUpPhase } from './kubernetes-phase.ts';
import { serviceRecords } from './services.ts';
import { kindOfRun, setUpRun, type SimOptions } from './setup.ts';
import {
  collectFrom,
  collectPhase,
  teardownPhase,
  upPhase,
  type Collected,
  type RunningStack,
} from './stack-phases.ts';
import type { ImageSet } from '../images/index.ts';

/** What the phases produced, as far as the run got. */
interface Produced {
  images?: ImageSet;
  stack?: RunningStack;
  scenarios?: ScenarioOutcome;
  load?: LoadOutcome;
  collected?: Collected;
}

export async function runSim(options: SimOptions): Promise<SimReport> {
  const setup = setUpRun(options);
  const produced: Produced = {};
  // A second interrupt removes what is up at once.
  using pipeline = new Pipeline(options.progress, () =>
    produced.stack ? produced.stack.rehearsal.down() : removeProject(setup.projectName),
  );
  const { interrupts } = pipeline;
  const failure = await (async () => {
    await pipeline.run(doctorPhase, options.env);
    const images = (produced.images = await pipeline.run(imagesPhase, undefined));
    const { startupTimeoutMs } = options;
    const stack = (produced.stack =
      options.platform === 'kubernetes'
        ? await pipeline.run(kubernetesUpPhase, {
            setup,
            images,
            env: options.env,
            abort: interrupts.interrupted,
            startupTimeoutMs,
          })
        : await pipeline.run(upPhase, {
            setup,
            images,
            abort: interrupts.interrupted,
            startupTimeoutMs,
          }));
    const { rehearsal } = stack;
    produced.scenarios = await pipeline.run(scenariosPhase, {
      baseUrl: rehearsal.baseUrl,
      fetch: rehearsal.fetch,
      fetchFromAnotherAddress: rehearsal.fetchFromAnotherAddress,
      artefactsDir: setup.dir,
      browser: options.browser,
      signInFailuresMax: Number(options.env.RATE_LIMIT_SIGNIN_FAILURES_MAX ?? 5),
    });
    if (options.load) {
      produced.load = await pipeline.run(loadPhase, {
        load: options.load,
        rehearsal,
        dir: setup.dir,
        runId: setup.runId,
        thresholds: options.thresholds,
        relative: options.relative,
        signal: interrupts.signal,
        tickMs: options.progress.isTTY ? 1000 : 15_000,
        drills: options.faults,
      });
    } else await pipeline.skip('load', 'turned off (--no-load)');
    produced.collected = await pipeline.run(collectPhase, { stack, dir: setup.dir });
    return undefined;
  })().catch((error: unknown) => asRunFailure(error, pipeline.current));

  // Logs and CPU/memory are kept when a later phase failed, and what Docker saw of the services.
  const { stack } = produced;
  const collected = produced.collected ?? (stack ? await collectFrom(stack, setup.dir) : undefined);
  const containers = (await stack?.rehearsal.containers().catch(() => [])) ?? [];
  const services = serviceRecords({
    timelines: stack?.rehearsal.timelines() ?? [],
    containers,
    usage: collected?.usage ?? [],
    logs: collected?.logs ?? new Map<string, string>(),
  });
  const kept = options.keep && stack !== undefined && !interrupts.happened();
  const teardownFailure = await pipeline
    .run(teardownPhase(kept), { projectName: setup.projectName, ...(stack ? { stack } : {}) })
    .then(
      () => undefined,
      (error: unknown) => asRunFailure(error, 'teardown'),
    );

  const report = await assembleReport({
    setup,
    env: options.env,
    thresholds: options.thresholds,
    relative: options.relative,
    baseline: options.baseline,
    kind: kindOfRun(options),
    images: produced.images,
    scenarios: produced.scenarios,
    load: produced.load,
    services,
    phases: pipeline.records,
    ...(stack ? { stack: { projectName: setup.projectName, baseUrl: stack.rehearsal.baseUrl, kept } } : {}),
    platform: options.platform,
    ...(stack && 'platform' in stack.rehearsal ? { kubernetes: kubernetesRecord(stack.rehearsal) } : {}),
    ...((failure ?? teardownFailure) ? { failure: failure ?? teardownFailure } : {}),
  });
  const written = await writeReport(report, options.env);
  options.progress.write(`${renderSummary(written)}\n`);
  return written;
}

const asRunFailure = (error: unknown, step: string): RunFailure =>
  error instanceof RunFailure
    ? error
    : new RunFailure({
        step,
        message: (error as Error).message,
        hint: 'read the message above; npm run doctor checks the machine',
      });
