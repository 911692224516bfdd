// The production rehearsal (docker-compose.prod.yml) from built images: its own
// project, ports and secrets, so runs never collide. Everything goes with down().
import { baseImages, usingOfflineImages } from '../images/index.ts';
import {
  execIn,
  inspectContainer,
  prepareTestcontainers,
  projectContainers,
  type ComposeChoice,
  type ServiceContainer,
  type StartedCompose,
} from '../docker/index.ts';
import type { KubernetesDrillStack } from '../faults/index.ts';
import type { TaskDatabase } from '../load/index.ts';
import { freePort } from '../ports.ts';
import { releaseProject, startOwnedCompose } from '../projects/index.ts';
import { readProjectLogs } from './logs.ts';
import { startSecondAddress } from './second-address.ts';
import { writeSecrets } from './secrets.ts';
import { rehearsalFile } from './settings.ts';
import { describeStartFailure } from './start-failure.ts';
import { fetchTrusting, type TrustedFetch } from './trusted-fetch.ts';
import { sampleUsage, type UsageSampler } from './usage.ts';
import { watchStack, type ServiceTimeline } from './watch.ts';

export interface RehearsalImages {
  backend: string;
  frontend: string;
  proxy: string;
}

export interface RehearsalOptions {
  images: RehearsalImages;
  projectName: string;
  /** More variables for the compose file (rate limits, ...). */
  env?: Record<string, string>;
  /** Stop starting when this rejects (an interrupt); everything started is removed. */
  abort?: Promise<never>;
  startupTimeoutMs?: number;
  /** Which Compose starts it; default SIM_COMPOSE, else v2 when installed. */
  compose?: ComposeChoice;
}

export interface StartedRehearsal extends AsyncDisposable {
  projectName: string;
  /** https://localhost:<port>: what a browser opens. */
  baseUrl: string;
  /** http://localhost:<port>: redirects to baseUrl. */
  httpUrl: string;
  /** The root certificate of the stack's own CA (PEM): trust it to verify TLS. */
  caCertificate: string;
  /** fetch that trusts that CA. */
  fetch: TrustedFetch;
  /** The same, reaching the proxy from another client address (see second-address.ts). */
  fetchFromAnotherAddress: TrustedFetch;
  /** Its Postgres, for the load's reconciliation (default: the project's postgres container). */
  database?: TaskDatabase;
  /** On Kubernetes: the pods and the release, as the Kubernetes drills reach them. */
  kubernetesDrills?: KubernetesDrillStack;
  /** The container of a service (its first replica): backend-1, postgres, proxy, ... */
  containerId(service: string): string;
  /** Every container of the stack as Docker sees it now (stopped ones too). */
  containers(): Promise<ServiceContainer[]>;
  /** Start-up timeline of every service; keeps counting restarts until down(). */
  timelines(): ServiceTimeline[];
  /** CPU and memory of the running services, sampled until stop(). */
  sampleUsage(intervalMs?: number): Promise<UsageSampler>;
  /** Every service's whole log, by service. */
  logs(): Promise<Map<string, string>>;
  down(): Promise<void>;
  /** Leaves the stack running (kept) and forgets it: `npm run down -- --rehearsal` removes it later. */
  detach(): Promise<void>;
}

/** The root certificate (PEM) of the CA a rehearsal's proxy issues its certificate from. */
export const readCaCertificate = (proxyContainerId: string): Promise<string> =>
  execIn(proxyContainerId, ['cat', '/data/caddy/pki/authorities/local/root.crt']);

/**
 * Starts the rehearsal and waits until every service is healthy. A failed
 * start throws RehearsalStartFailed (the service to blame, every log) and
 * leaves nothing behind.
 */
export async function startRehearsal(options: RehearsalOptions): Promise<StartedRehearsal> {
  prepareTestcontainers(usingOfflineImages());
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const secrets = await writeSecrets();
  const watcher = await watchStack(options.projectName);
  const abort = options.abort ? Promise.race([watcher.failed, options.abort]) : watcher.failed;
  abort.catch(() => undefined);
  const forget = async () => {
    watcher.stop();
    await secrets.remove();
  };
  let stack: StartedCompose;
  try {
    stack = await startOwnedCompose({
      file: rehearsalFile,
      projectName: options.projectName,
      env: {
        ...baseImages(),
        BACKEND_IMAGE: options.images.backend,
        FRONTEND_IMAGE: options.images.frontend,
        PROXY_IMAGE: options.images.proxy,
        HTTPS_PORT: String(httpsPort),
        HTTP_PORT: String(httpPort),
        REHEARSAL_SECRETS: secrets.dir,
        ...options.env,
      },
      startupTimeoutMs: options.startupTimeoutMs ?? 180_000,
      abort,
      ...(options.compose ? { compose: options.compose } : {}),
    });
    watcher.markUp();
  } catch (error) {
    await forget();
    throw describeStartFailure(error);
  }
  const started = stack;
  let stopRelay: () => Promise<void> = () => Promise.resolve();
  const down = async () => {
    try {
      await stopRelay().catch(() => undefined);
      await started.down();
    } finally {
      await forget();
    }
  };
  try {
    const caCertificate = await readCaCertificate(started.containerId('proxy'));
    const baseUrl = `https://localhost:${httpsPort}`;
    const proxy = await inspectContainer(started.containerId('proxy'));
    const edge = Object.keys(proxy.addresses).find((network) => network.endsWith('_edge'));
    const relay = await startSecondAddress({
      projectName: options.projectName,
      network: edge ?? Object.keys(proxy.addresses)[0] ?? `${options.projectName}_default`,
      image: options.images.backend,
      to: { host: 'proxy', port: httpsPort },
      caCertificate,
      probeUrl: `${baseUrl}/`,
    });
    stopRelay = () => relay.stop();
    return {
      projectName: options.projectName,
      baseUrl,
      httpUrl: `http://localhost:${httpPort}`,
      caCertificate,
      fetch: fetchTrusting(caCertificate),
      fetchFromAnotherAddress: relay.fetch,
      containerId: (service) => started.containerId(service),
      containers: () => projectContainers(options.projectName),
      timelines: () => watcher.timelines(),
      sampleUsage: async (intervalMs) => {
        const running = (await projectContainers(options.projectName)).filter((c) => c.state === 'running');
        return sampleUsage(new Map(running.map((c) => [c.id, c.service])), intervalMs);
      },
      logs: () => readProjectLogs(options.projectName),
      down,
      detach: async () => {
        await stopRelay().catch(() => undefined);
        await releaseProject(options.projectName);
        await forget();
      },
      [Symbol.asyncDispose]: down,
    };
  } catch (error) {
    await down();
    throw error;
  }
}
