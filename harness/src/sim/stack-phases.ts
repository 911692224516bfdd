// The phases around the stack: bring it up (and start watching its CPU and
// memory), collect what it did, take it down or keep it.
import { join, relative } from 'node:path';
import { projectLeftovers, removeProject } from '../docker/index.ts';
import { RunFailure } from '../errors/index.ts';
import { imageReferences, type ImageSet } from '../images/index.ts';
import {
  RehearsalStartFailed,
  rehearsalFile,
  startRehearsal,
  writeLogs,
  type ServiceUsage,
  type StartedRehearsal,
  type UsageSampler,
} from '../rehearsal/index.ts';
import type { StartedKubernetesRehearsal } from '../kubernetes/index.ts';
import type { Phase } from '../pipeline/index.ts';
import type { RunSetup } from './setup.ts';

export interface RunningStack {
  rehearsal: StartedRehearsal | StartedKubernetesRehearsal;
  /** CPU and memory, from up through the scenarios and the load. */
  usage: UsageSampler;
}

export const upPhase: Phase<
  { setup: RunSetup; images: ImageSet; abort: Promise<never>; startupTimeoutMs: number },
  RunningStack
> = {
  name: 'rehearsal up',
  // startRehearsal is handed the interrupt and removes what it started before it rejects.
  stopsOnInterrupt: true,
  async run({ setup, images, abort, startupTimeoutMs }, output) {
    output(`starting ${setup.projectName} (${rehearsalFile})`);
    try {
      const rehearsal = await startRehearsal({
        images: imageReferences(images),
        projectName: setup.projectName,
        env: setup.stackEnv,
        abort,
        startupTimeoutMs,
      });
      return { rehearsal, usage: await rehearsal.sampleUsage() };
    } catch (error) {
      if (!(error instanceof RehearsalStartFailed)) throw error;
      // The containers are gone; their logs are kept beside the report.
      const logsDir = join(setup.dir, 'logs');
      await writeLogs(error.logs, logsDir).catch(() => undefined);
      const { detail } = error;
      throw new RehearsalStartFailed(
        new RunFailure({
          ...detail,
          hint: detail.service ? `${detail.hint}; every service's full log is in ${logsDir}` : detail.hint,
        }),
        error.logs,
      );
    }
  },
  detail: ({ rehearsal }) => rehearsal.baseUrl,
};

export interface Collected {
  /** Service → its log file, relative to the report's folder. */
  logs: Map<string, string>;
  usage: ServiceUsage[];
}

/** Logs and CPU/memory of a stack that ran; also after a later phase failed. */
export async function collectFrom(stack: RunningStack, dir: string): Promise<Collected> {
  const usage = await stack.usage.stop();
  const logs = await stack.rehearsal.logs().catch(() => new Map<string, string>());
  const files = await writeLogs(logs, join(dir, 'logs')).catch(() => new Map<string, string>());
  return { usage, logs: new Map([...files].map(([service, file]) => [service, relative(dir, file)])) };
}

export const collectPhase: Phase<{ stack: RunningStack; dir: string }, Collected> = {
  name: 'collect',
  run: ({ stack, dir }) => collectFrom(stack, dir),
  detail: ({ logs, usage }) => `${logs.size} service logs, CPU and memory of ${usage.length} services`,
};

/** Removes the stack (or leaves it up: kept); a stack that will not go is a RunFailure naming what is left. */
export const teardownPhase = (
  kept: boolean,
): Phase<{ projectName: string; stack?: RunningStack }, string> => ({
  name: kept ? 'keep' : 'teardown',
  // It runs after the interrupt; nothing may cut it short.
  stopsOnInterrupt: true,
  async run({ projectName, stack }) {
    try {
      if (kept && stack) {
        await stack.rehearsal.detach();
        return `${stack.rehearsal.baseUrl} (project ${projectName})`;
      }
      await (stack?.rehearsal.down() ?? removeProject(projectName)).catch(() => removeProject(projectName));
      return 'removed';
    } catch (error) {
      const left = await projectLeftovers(projectName).catch(() => []);
      throw new RunFailure({
        step: 'teardown',
        message: (error as Error).message,
        hint: `left behind: ${left.join(', ') || 'unknown'} (npm run down -- --rehearsal removes it)`,
      });
    }
  },
  detail: (done) => done,
});
