// What promotion needs of a platform, whatever it is: the release live now,
// deploy an artefact and wait until it is live (or failed), what it reports
// running, go back to an earlier release, and the calls it would make. Each
// platform is one file of this shape that also declares its definition: its
// name, the variables it reads and how it is made from them (targets/index.ts
// is the table config.ts looks a name up in).

export type Environment = 'production' | 'staging';
export const environments: readonly Environment[] = ['production', 'staging'];

export interface Release {
  /** The platform's id of the deployment. */
  id: string;
  /** What it runs: an image by digest (`repo@sha256:…`), or the Build Output's deployment. */
  artefact: string;
  /** Where users reach it. */
  url: string;
}

/** A deployment that did not become live, as the platform told it. */
export class DeployFailed extends Error {
  override name = 'DeployFailed';
  readonly status: string;
  readonly release: Release | undefined;
  constructor(message: string, status: string, release?: Release) {
    super(message);
    this.status = status;
    this.release = release;
  }
}

export interface DeployProgress {
  (line: string): void;
}

/** The API calls each operation makes, in words (--dry-run prints them in the order a run makes them). */
export interface TargetPlan {
  current: string[];
  deploy: string[];
  serving: string[];
  rollback: string[];
}

export interface Target<Artefact> {
  /** railway, render, vercel, … */
  readonly name: string;
  /** The release serving now, to roll back to; undefined for a first release. */
  current(): Promise<Release | undefined>;
  /** Deploys and waits until it is live; DeployFailed when the platform says it failed or time runs out. */
  deploy(artefact: Artefact, progress: DeployProgress): Promise<Release>;
  /** The image digest (or deployment) the platform reports serving now. */
  serving(): Promise<string | undefined>;
  /** Back to an earlier release; resolves once it serves again. */
  rollback(to: Release, progress: DeployProgress): Promise<void>;
  plan(artefact: Artefact): TargetPlan;
}

/** The backend: an image by digest. */
export type BackendTarget = Target<string>;

/** The frontend: a Build Output folder (.vercel/output) whose /api/* goes to the backend. */
export interface FrontendArtefact {
  outputDir: string;
  backendUrl: string;
}
export interface FrontendTarget extends Target<FrontendArtefact> {
  /** Makes a live deployment the one the environment's users get (production's domains, or staging's). */
  promote(release: Release, progress: DeployProgress): Promise<void>;
  plan(artefact: FrontendArtefact): TargetPlan & { promote: string[] };
}

/** A variable a target reads; with several names, any one of them will do. */
export interface TargetVariable {
  names: readonly string[];
  what: string;
}

/** What every target is told besides its own variables. */
export interface TargetSettings {
  environment: Environment;
  deployTimeoutMs: number;
  pollMs: number;
}

/** One platform, as the table of targets holds it. */
export interface TargetDefinition<T> {
  name: string;
  /** What it needs set for an environment; config.ts refuses in one line when one is missing. */
  variables(environment: Environment): TargetVariable[];
  /** Built once every variable it needs is set. */
  create(env: NodeJS.ProcessEnv, settings: TargetSettings): T;
}

/** Polls `read` every `everyMs` until `done` says so or `timeoutMs` passes; the last value. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs: number; everyMs: number },
): Promise<{ value: T; timedOut: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return { value, timedOut: false };
    if (Date.now() > deadline) return { value, timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, options.everyMs));
  }
}
