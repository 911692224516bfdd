// A rehearsal started by a command other than sim: npm run up -- --rehearsal,
// npm run load, the load benchmark.
import { buildImageSet, imageReferences } from '../images/index.ts';
import { removeProject } from '../docker/index.ts';
import { listenForInterrupts, type Interrupts } from '../signals/index.ts';
import { startRehearsal, type StartedRehearsal } from './start.ts';

/**
 * Builds the images (progress on stdout), then starts a rehearsal; an
 * interrupt while it starts removes what was started, and a failed start
 * names the service. The caller disposes `interrupts` once the stack no
 * longer needs them.
 */
export async function startRehearsalForCommand(options: {
  projectName: string;
  /** Named by an interrupt: "rehearsal up", "load". */
  step: string;
  env: Record<string, string>;
}): Promise<{ rehearsal: StartedRehearsal; interrupts: Interrupts }> {
  const images = await buildImageSet((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`starting ${options.projectName}\n`);
  const interrupts = listenForInterrupts({
    progress: process.stdout,
    step: () => options.step,
    force: () => removeProject(options.projectName),
  });
  try {
    const rehearsal = await startRehearsal({
      images: imageReferences(images),
      projectName: options.projectName,
      env: options.env,
      abort: interrupts.interrupted,
    });
    return { rehearsal, interrupts };
  } catch (error) {
    interrupts[Symbol.dispose]();
    throw error;
  }
}
