// What the fault drills do to a running container, as production's bad days
// do it: a process that crashes (so the restart policy applies, which `docker
// kill` would not), a restart, a hang, a CPU-starved server.
import { auxiliaryLabel } from './containers.ts';
import { engine } from './engine.ts';

/**
 * Kills a container's main process with SIGKILL from outside the container, as
 * the kernel's OOM killer or a crash would end it: Docker sees the process die
 * (exit 137) and applies the restart policy, unlike `docker kill`, which counts
 * as a stop the user asked for. A short-lived helper (the same image, in the
 * engine's own process namespace, with only the capability to signal) sends
 * it; the engine may be another machine (Docker Desktop), so the harness
 * cannot signal the pid itself.
 */
export async function crashMainProcess(id: string): Promise<{ pid: number }> {
  const target = await engine().getContainer(id).inspect();
  const pid = target.State.Pid;
  if (!target.State.Running || !pid) throw new Error(`${target.Name.replace(/^\//, '')} is not running`);
  const helper = await engine().createContainer({
    Image: target.Image,
    User: '0',
    Entrypoint: ['bash', '-c', `kill -KILL ${pid}`],
    Labels: { [auxiliaryLabel]: 'true' },
    HostConfig: {
      PidMode: 'host',
      CapDrop: ['ALL'],
      CapAdd: ['KILL'],
      SecurityOpt: ['no-new-privileges:true'],
      NetworkMode: 'none',
    },
  });
  try {
    await helper.start();
    const { StatusCode } = (await helper.wait()) as { StatusCode?: number };
    if (StatusCode !== 0)
      throw new Error(`could not signal pid ${pid} (the helper exited ${String(StatusCode)})`);
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
  return { pid };
}

/** `docker restart`: SIGTERM (the image's stop signal), SIGKILL after `graceSeconds`, then start. */
export async function restartContainer(id: string, graceSeconds: number): Promise<void> {
  await engine().getContainer(id).restart({ t: graceSeconds });
}

/** Freezes every process of the container: connections stay open and nothing answers. */
export async function pauseContainer(id: string): Promise<void> {
  await engine().getContainer(id).pause();
}

export async function unpauseContainer(id: string): Promise<void> {
  await engine().getContainer(id).unpause();
}

/** The container's CPU limit in CPUs (0: none). */
export async function cpuLimit(id: string): Promise<number> {
  const info = await engine().getContainer(id).inspect();
  const { NanoCpus, CpuQuota, CpuPeriod } = info.HostConfig;
  if (NanoCpus) return NanoCpus / 1e9;
  return CpuQuota && CpuPeriod ? CpuQuota / CpuPeriod : 0;
}

/** Changes a running container's CPU limit (`docker update --cpus`), in the form it was set. */
export async function setCpuLimit(id: string, cpus: number): Promise<void> {
  const container = engine().getContainer(id);
  const { CpuQuota, CpuPeriod } = (await container.inspect()).HostConfig;
  // The engine refuses NanoCpus beside a quota, and a quota beside NanoCpus.
  await container.update(
    CpuQuota && CpuPeriod
      ? { CpuQuota: Math.round(cpus * CpuPeriod), CpuPeriod }
      : { NanoCpus: Math.round(cpus * 1e9) },
  );
}
