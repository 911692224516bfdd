// Follows a compose project through Docker's event stream: when each service
// started, became healthy or finished, and whether one is crash-looping, so a
// broken start-up is named within seconds instead of after a time-out.
import {
  auxiliaryLabel,
  followContainerEvents,
  inspectContainer,
  projectLabel,
  serviceLabel,
} from '../docker/index.ts';

export interface ServiceTimeline {
  service: string;
  /** Epoch ms of the first start. */
  startedAt?: number;
  /** Epoch ms of the first healthy report (services with a healthcheck). */
  healthyAt?: number;
  /** Epoch ms of the first clean exit (one-shots such as migrate). */
  completedAt?: number;
  starts: number;
  /** Exits with a non-zero code. */
  failures: number;
  lastExitCode?: number;
  oomKills: number;
  /** Starts after the stack was declared up: restarts the user would notice. */
  restartsAfterUp: number;
}

/** A service that cannot start: exited where it should run, or keeps restarting. */
export class ServiceFailed extends Error {
  override name = 'ServiceFailed';
  readonly service: string;
  readonly reason: string;
  constructor(service: string, reason: string) {
    super(`${service} ${reason}`);
    this.service = service;
    this.reason = reason;
  }
}

export interface StackWatcher {
  timelines(): ServiceTimeline[];
  /** Rejects with ServiceFailed as soon as a service is seen failing to start. */
  failed: Promise<never>;
  /** From now on, starts count as restarts. */
  markUp(): void;
  stop(): void;
}

/** Starts following the project's container events; call before `up`. */
export async function watchStack(projectName: string): Promise<StackWatcher> {
  const services = new Map<string, ServiceTimeline>();
  let upAt: number | undefined;
  let fail: (error: ServiceFailed) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);

  const timeline = (service: string): ServiceTimeline => {
    let entry = services.get(service);
    if (!entry) {
      entry = { service, starts: 0, failures: 0, oomKills: 0, restartsAfterUp: 0 };
      services.set(service, entry);
    }
    return entry;
  };

  const onDie = async (entry: ServiceTimeline, containerId: string, exitCode: number, at: number) => {
    if (exitCode === 0) {
      entry.completedAt ??= at;
      return;
    }
    entry.failures += 1;
    entry.lastExitCode = exitCode;
    const policy = await inspectContainer(containerId).then(
      (container) => container.restartPolicy,
      () => 'no',
    );
    // A one-shot that failed will not be retried; a service that failed twice is crash-looping.
    if (upAt === undefined && (policy === 'no' || entry.failures >= 2)) {
      fail(
        new ServiceFailed(
          entry.service,
          entry.failures >= 2
            ? `keeps exiting (exit code ${exitCode}, ${entry.failures} times) instead of becoming healthy`
            : `exited with code ${exitCode}`,
        ),
      );
    }
  };

  const feed = await followContainerEvents([`${projectLabel}=${projectName}`], (event) => {
    const service = event.attributes[serviceLabel];
    if (!service || event.attributes[auxiliaryLabel] === 'true') return;
    const entry = timeline(service);
    if (event.action === 'start') {
      entry.starts += 1;
      entry.startedAt ??= event.at;
      if (upAt !== undefined) entry.restartsAfterUp += 1;
    } else if (event.action === 'health_status: healthy') {
      entry.healthyAt ??= event.at;
    } else if (event.action === 'health_status: unhealthy' && upAt === undefined) {
      fail(new ServiceFailed(service, 'failed its healthcheck and is reported unhealthy'));
    } else if (event.action === 'oom') {
      entry.oomKills += 1;
    } else if (event.action === 'die') {
      void onDie(entry, event.containerId, Number(event.attributes.exitCode ?? 0), event.at);
    }
  });

  return {
    timelines: () => [...services.values()].sort((a, b) => a.service.localeCompare(b.service)),
    failed,
    markUp: () => {
      upAt = Date.now();
    },
    stop: () => {
      feed.stop();
    },
  };
}

/** Seconds from a service's first start to healthy (or done); undefined if it never got there. */
export function startupSeconds(entry: ServiceTimeline): number | undefined {
  const ready = entry.healthyAt ?? entry.completedAt;
  return entry.startedAt !== undefined && ready !== undefined
    ? Math.round(ready - entry.startedAt) / 1000
    : undefined;
}
