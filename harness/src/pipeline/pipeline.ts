// Runs a list of typed phases with listr2's progress: each phase takes what
// earlier ones produced and returns what it produced; the pipeline records
// each one's time and outcome, and stops at the first failure or interrupt.
import { Listr, ListrLogger, PRESET_TIMER, ProcessOutput } from 'listr2';
import type { PhaseRecord } from '../report/index.ts';
import { listenForInterrupts, type Interrupts } from '../signals/index.ts';

export type Output = (line: string) => void;

export interface Phase<In, Out> {
  name: string;
  run(input: In, output: Output): Promise<Out>;
  /** The phase's title once it is done, e.g. "3 built". */
  detail(out: Out): string;
  /**
   * Stops by itself when the run is interrupted (it is handed the interrupt),
   * so the pipeline waits for it to clean up after itself instead of leaving it running.
   */
  stopsOnInterrupt?: true;
}

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

/**
 * A run's phases, one after another. It listens for SIGINT/SIGTERM while it
 * lives (`using`): the first stops the phase running, a second runs `force`.
 */
export class Pipeline implements Disposable {
  readonly records: PhaseRecord[] = [];
  /** The run's interrupt: a phase that stops by itself is handed it. */
  readonly interrupts: Interrupts;
  #current = 'start';
  readonly #progress: NodeJS.WriteStream;

  constructor(
    progress: NodeJS.WriteStream,
    force: () => Promise<void>,
    words: { stopping?: string; forcing?: string } = {},
  ) {
    this.#progress = progress;
    this.interrupts = listenForInterrupts({ progress, step: () => this.#current, force, ...words });
  }

  [Symbol.dispose](): void {
    this.interrupts[Symbol.dispose]();
  }

  /** The phase running now (or the last one that ran): an interrupt names it. */
  get current(): string {
    return this.#current;
  }

  /** Runs one phase, with its progress and its record; rejects with its error or the interrupt. */
  async run<In, Out>(phase: Phase<In, Out>, input: In): Promise<Out> {
    this.#current = phase.name;
    const started = performance.now();
    const startedAt = Date.now();
    let produced: { value: Out } | undefined;
    const task = new Listr(
      [
        {
          title: phase.name,
          task: async (_, listr) => {
            const work = phase.run(input, (line) => (listr.output = line));
            const value = await (phase.stopsOnInterrupt
              ? this.#settled(work)
              : Promise.race([work, this.interrupts.interrupted]));
            produced = { value };
            listr.title = `${phase.name}: ${phase.detail(value)}`;
          },
        },
      ],
      listrOptions(this.#progress),
    );
    try {
      await task.run();
    } catch (error) {
      this.#record(phase.name, 'failed', started, startedAt);
      throw error;
    }
    if (!produced) throw new Error(`phase ${phase.name} ended without a result`);
    this.#record(phase.name, 'passed', started, startedAt, phase.detail(produced.value));
    return produced.value;
  }

  /** A phase the run leaves out, shown and recorded as skipped. */
  async skip(name: string, reason: string): Promise<void> {
    this.records.push({ name, status: 'skipped', startedAt: Date.now(), durationMs: 0, detail: reason });
    await new Listr(
      [
        {
          title: name,
          task: (_, listr) => {
            listr.skip(`${name}: ${reason}`);
          },
        },
      ],
      listrOptions(this.#progress),
    ).run();
  }

  /** The work's result; when it failed because of an interrupt, the interrupt is the error. */
  async #settled<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (this.interrupts.happened()) await this.interrupts.interrupted;
      throw error;
    }
  }

  #record(name: string, status: PhaseRecord['status'], started: number, startedAt: number, detail?: string) {
    this.records.push({
      name,
      status,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      ...(detail ? { detail } : {}),
    });
  }
}
