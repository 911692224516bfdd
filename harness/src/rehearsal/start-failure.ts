// A rehearsal that did not come up, as the sentence a user reads: the service
// to blame, its last log lines, what to try; every service's log kept.
import { ComposeUpFailed, type ContainerSnapshot } from '../docker/index.ts';
import { RunFailure } from '../errors/index.ts';
import { ServiceFailed } from './watch.ts';

/** A failed start: a RunFailure (step "rehearsal up") that also carries every service's whole log. */
export class RehearsalStartFailed extends RunFailure {
  override name = 'RehearsalStartFailed';
  /** Service → its log, read before the containers were removed. */
  readonly logs: Map<string, string>;
  constructor(failure: RunFailure, logs: Map<string, string>) {
    super(failure.detail);
    this.logs = logs;
  }
}

/** Not where a started stack needs it: running and healthy, or a one-shot done cleanly. */
const broken = (container: ContainerSnapshot) =>
  container.state === 'exited'
    ? container.exitCode !== 0
    : container.state !== 'running' || container.health === 'unhealthy' || container.health === 'starting';

function culprit(cause: unknown, containers: ContainerSnapshot[]): ServiceFailed | undefined {
  if (cause instanceof ServiceFailed) return cause;
  const found =
    containers.find((c) => c.state !== 'running' && c.exitCode !== 0) ??
    containers.find((c) => c.health === 'unhealthy') ??
    containers.find(broken);
  if (!found) return undefined;
  const health = found.health === 'none' ? '' : `, health ${found.health}`;
  return new ServiceFailed(found.service, `did not become ready (state ${found.state}${health})`);
}

const lastLines = (log: string, count: number) =>
  log
    .split('\n')
    .filter(Boolean)
    .slice(-count)
    // Docker's timestamp in front of each line says nothing a user needs here.
    .map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));

/** Why `up` failed, naming the service when one is to blame. */
export function describeStartFailure(error: unknown): RehearsalStartFailed {
  if (error instanceof RehearsalStartFailed) return error;
  const cause = error instanceof ComposeUpFailed ? error.cause : error;
  const containers = error instanceof ComposeUpFailed ? error.containers : [];
  const logs = new Map(containers.map((c) => [c.service, c.log]));
  if (cause instanceof RunFailure) return new RehearsalStartFailed(cause, logs);
  const service = culprit(cause, containers);
  const failure = service
    ? new RunFailure({
        step: 'rehearsal up',
        service: service.service,
        message: service.reason,
        hint: 'fix what its last log lines say; every service’s full log is kept with the report',
        logTail: lastLines(logs.get(service.service) ?? '', 20),
      })
    : new RunFailure({
        step: 'rehearsal up',
        message: (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '',
        hint: 'npm run doctor checks Docker and Compose; docker compose -f docker-compose.prod.yml config checks the file',
      });
  return new RehearsalStartFailed(failure, logs);
}
