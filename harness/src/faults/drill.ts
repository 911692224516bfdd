// What a fault drill is: a fault done to the running rehearsal under load, what
// it must not break, and how long the app takes to be well again.
import type { Probe, ProbeSample, ProbeUser } from './probe.ts';
import type { RequestSample } from '../load/index.ts';

/** The Compose rehearsal's drills: faults done to its containers. */
export const composeDrillNames = [
  'replica_crash',
  'postgres_restart',
  'redis_outage',
  'postgres_slow',
  'proxy_restart',
] as const;
/** The Kubernetes rehearsal's drills: what the cluster does to pods and releases. */
export const kubernetesDrillNames = ['pod_delete', 'rolling_update', 'rollback'] as const;
export const drillNames = [...composeDrillNames, ...kubernetesDrillNames] as const;
export type DrillName = (typeof drillNames)[number];

/** A backend pod as the Kubernetes drills see it. */
export interface BackendPod {
  name: string;
  ready: boolean;
  /** Being deleted (terminating). */
  deleting: boolean;
  /** Epoch ms it was created. */
  createdAt: number;
  /** The image it runs, as the kubelet reports it (repository@sha256:…). */
  image: string;
}

/** A backend image the cluster holds: what the chart's values take. */
export interface ReleaseImage {
  repository: string;
  digest: string;
}

/** The Kubernetes rehearsal, as its drills reach it. */
export interface KubernetesDrillStack {
  backendPods(): Promise<BackendPod[]>;
  /** Deletes a pod as `kubectl delete pod` does: gracefully (SIGTERM, the drain, then the grace period). */
  deletePod(name: string): Promise<void>;
  /** The backend image the release was installed with. */
  installedBackend: ReleaseImage;
  /** Another release of the backend image (another image id), in the cluster: made once, on first use. */
  nextBackend(): Promise<ReleaseImage>;
  /** helm upgrade with this backend image, until it is rolled out (helm --wait); the new revision. */
  upgradeBackend(image: ReleaseImage): Promise<number>;
  /** helm rollback to a revision, until it is rolled out. */
  rollback(revision: number): Promise<void>;
  /** The release's revision now. */
  revision(): Promise<number>;
}

/** The running stack, as the drills reach it. */
export interface DrillStack {
  baseUrl: string;
  /** A service's container (its first replica): backend-1, postgres, proxy, ... */
  containerId(service: string): string;
  /** The root certificate its proxy serves from (PEM), read now. */
  caCertificate(): Promise<string>;
  /** On Kubernetes: the pods and the release. */
  kubernetes?: KubernetesDrillStack;
}

export interface DrillContext {
  stack: DrillStack;
  /** A signed-in user asking for its tasks a few times a second, over every drill. */
  probe: Probe;
  /** Another signed-in user of its own. */
  signUp: (label: string) => Promise<ProbeUser>;
  /** A request with no session, as a stranger sends it. */
  anonymous: (method: string, path: string, body?: unknown) => Promise<ProbeSample>;
  /** Waits until this moment (epoch ms); rejects when the run is interrupted. */
  until: (at: number) => Promise<void>;
  output: (line: string) => void;
}

/** One fault and the app's way back: a drill has one or more (a restart repeated). */
export interface Episode {
  /** Epoch ms the fault began. */
  injectedAt: number;
  /** Epoch ms the fault was gone (the service back, the hang over). */
  clearedAt: number;
  /** Epoch ms the app was well again; null: not within the drill's time. */
  recoveredAt: number | null;
  /** What the drill's recovery threshold judges, in seconds; null: not recovered. */
  recoverySeconds: number | null;
}

export interface DrillCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface DrillOutcome {
  episodes: Episode[];
  /** What must hold through the drill, each with what was seen. */
  checks: DrillCheck[];
  /** Restarts of services the drill causes on purpose (not counted against service_restarts). */
  restarts: Record<string, number>;
}

export interface Drill {
  name: DrillName;
  /** What happens, for people: "a backend replica crashes". */
  title: string;
  /** What passing it proves. */
  proves: string;
  /** Its share of the load's time, fault and aftermath. */
  slotMs: number;
  /** Its default thresholds, k6 syntax, tagged with the drill. */
  thresholds: string[];
  /** Checks on the load's own requests of its windows, once the load is over (k6's record of each). */
  requestChecks?: (requests: RequestSample[], episodes: Episode[]) => DrillCheck[];
  run: (context: DrillContext, slot: { start: number; end: number }) => Promise<DrillOutcome>;
}

/** Seconds between two moments, to the millisecond. */
export const secondsBetween = (from: number, to: number): number => Math.round(to - from) / 1000;
