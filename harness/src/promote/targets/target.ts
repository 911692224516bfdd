// What promotion needs of a platform, whatever it is: the release live now,
// deploy an artefact and wait until it is live (or failed), what it reports
// running, and go back to an earlier release. Railway, Render and Vercel are
// each one file of this shape.

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
  /** The API calls it would make, in words (--dry-run). */
  plan(artefact: Artefact): string[];
}

/** The backend: an image by digest. */
export type BackendTarget = Target<string>;

/** The frontend: a Build Output folder (.vercel/output) whose /api/* goes to the backend. */
export interface FrontendArtefact {
  outputDir: string;
  backendUrl: string;
}
export interface FrontendTarget extends Target<FrontendArtefact> {
  /** Makes a deployment that is live but not yet public the one users get. */
  promote(release: Release, progress: DeployProgress): Promise<void>;
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
