// Start-up of the backend image itself, as an orchestrator runs it: from the
// container's process starting (Docker's StartedAt) to the first 200 on
// /ready through a port published on 127.0.0.1, and its memory once idle.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { containerUsage, inspectContainer, ownerLabels, removeContainers, runContainer } from '@todo/harness';

export interface ImageStartup {
  /** Process start → first 200 on /ready. */
  startToReadyMs: number;
  /** The process's resident memory 2 s after ready (its cgroup's, where /proc is not this engine's). */
  idleRssMb: number;
}

const rssOf = (pid: number): number | undefined => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
};

export async function measureImageStartups(
  count: number,
  image: string,
  env: Record<string, string>,
): Promise<ImageStartup[]> {
  const samples: ImageStartup[] = [];
  for (let i = 0; i < count; i++) {
    // The rehearsal's limits for a replica: 1 CPU, 512 MiB.
    const { id, hostPort } = await runContainer({
      image,
      env,
      publish: 3000,
      labels: ownerLabels(),
      memoryBytes: 512 * 2 ** 20,
      cpus: 1,
    });
    try {
      if (!hostPort) throw new Error('the backend container has no published port');
      const deadline = Date.now() + 30_000;
      let readyAt = 0;
      while (!readyAt && Date.now() < deadline) {
        const ok = await fetch(`http://127.0.0.1:${hostPort}/ready`).then(
          (reply) => reply.ok,
          () => false,
        );
        if (ok) readyAt = Date.now();
        else await sleep(5);
      }
      if (!readyAt) throw new Error('the backend image did not become ready in 30 s');
      const { startedAt, pid } = await inspectContainer(id);
      await sleep(2_000);
      const rss = rssOf(pid) ?? Math.round(((await containerUsage(id))?.memoryBytes ?? 0) / 2 ** 20);
      samples.push({ startToReadyMs: readyAt - startedAt, idleRssMb: rss });
    } finally {
      await removeContainers([id]);
    }
  }
  return samples;
}
