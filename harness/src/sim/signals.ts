import { RunFailure } from './failure.ts';

export interface Interrupts {
  /** Rejects with a RunFailure naming the step when SIGINT or SIGTERM arrives. */
  interrupted: Promise<never>;
  happened: () => boolean;
  dispose: () => void;
}

/**
 * The first SIGINT/SIGTERM asks the run to stop and tear down; a second one
 * runs `force` (remove the stack now) and exits at once.
 */
export function listenForInterrupts(options: {
  progress: NodeJS.WritableStream;
  step: () => string;
  force: () => Promise<void>;
}): Interrupts {
  let interrupt: (error: RunFailure) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  interrupted.catch(() => undefined);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      options.progress.write(`\n${signal} again: removing the stack and exiting now\n`);
      void options.force().finally(() => process.exit(130));
      return;
    }
    options.progress.write(`\n${signal}: stopping; the stack is being removed (press again to force)\n`);
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
    happened: () => signals > 0,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
