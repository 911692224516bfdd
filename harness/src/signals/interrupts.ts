import { RunFailure } from '../errors/index.ts';

export interface Interrupts extends Disposable {
  /** Rejects with a RunFailure naming the step when SIGINT or SIGTERM arrives. */
  interrupted: Promise<never>;
  /** Aborted on the first signal: for child processes (k6) to be stopped with. */
  signal: AbortSignal;
  happened(): boolean;
}

/**
 * The first SIGINT/SIGTERM asks the run to stop and tear down; a second one
 * runs `force` (remove the stack now) and exits at once. `using` releases the handlers.
 */
export function listenForInterrupts(options: {
  progress: NodeJS.WritableStream;
  step: () => string;
  force: () => Promise<void>;
  /** What happens on the first signal, for the user: "the stack is being removed". */
  stopping?: string;
  /** What the second one does: "removing the stack". */
  forcing?: string;
}): Interrupts {
  const stop = new AbortController();
  let interrupt: (error: RunFailure) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  interrupted.catch(() => undefined);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      options.progress.write(
        `\n${signal} again: ${options.forcing ?? 'removing the stack'} and exiting now\n`,
      );
      void options.force().finally(() => process.exit(130));
      return;
    }
    options.progress.write(
      `\n${signal}: stopping; ${options.stopping ?? 'the stack is being removed'} (press again to force)\n`,
    );
    stop.abort();
    interrupt(
      new RunFailure({
        step: options.step(),
        message: `interrupted by ${signal}`,
        hint: 'run it again when you are ready; nothing was left running',
      }),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    interrupted,
    signal: stop.signal,
    happened: () => signals > 0,
    [Symbol.dispose]: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
