// The one file that speaks Vercel's REST API: the Build Output uploaded file by
// file (SHA-1 addressed), a production deployment created from it without
// taking the domains, then promoted once the smoke passed; rollback to the
// deployment that was production before.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  DeployFailed,
  pollUntil,
  type FrontendArtefact,
  type FrontendTarget,
  type Release,
} from './target.ts';

export const vercelApi = 'https://api.vercel.com';

export interface VercelOptions {
  apiUrl: string;
  token: string;
  projectId: string;
  /** For a team's project: its id (VERCEL_ORG_ID). */
  teamId?: string;
  /** production, or a custom environment such as staging. */
  target: string;
  deployTimeoutMs: number;
  pollMs: number;
  fetch?: typeof fetch;
}

interface UploadFile {
  file: string;
  sha: string;
  size: number;
  path: string;
}

interface Deployment {
  id: string;
  url: string;
  readyState: 'QUEUED' | 'BUILDING' | 'INITIALIZING' | 'READY' | 'ERROR' | 'CANCELED' | 'BLOCKED';
}

interface Project {
  id: string;
  targets?: { production?: { id: string; url: string; alias?: string[] } | null };
}

/** Any answer of the API: a deployment, a project, or an error. */
type Answer = Partial<Deployment> &
  Partial<Project> & { error?: { code: string; message: string; missing?: string[] } };

/** Vercel refused or could not be reached. */
export class VercelError extends Error {
  override name = 'VercelError';
}

const urlOf = (host: string) =>
  /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(host) ? `http://${host}` : `https://${host}`;

/** Every file of the Build Output as the CLI sends it: `.vercel/output/<path>`, its SHA-1 and size. */
export async function outputFiles(outputDir: string): Promise<UploadFile[]> {
  const entries = await readdir(outputDir, { recursive: true, withFileTypes: true });
  const files: UploadFile[] = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    files.push({
      file: `.vercel/output/${relative(outputDir, path).split(sep).join('/')}`,
      sha: createHash('sha1').update(bytes).digest('hex'),
      size: bytes.length,
      path,
    });
  }
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** One digest for a whole Build Output: sha256 over its sorted `path sha1` lines. */
export const outputDigest = (files: { file: string; sha: string }[]): string =>
  `sha256:${createHash('sha256')
    .update(files.map((f) => `${f.file} ${f.sha}\n`).join(''))
    .digest('hex')}`;

export class VercelTarget implements FrontendTarget {
  readonly name = 'vercel';
  readonly #options: VercelOptions;

  constructor(options: VercelOptions) {
    this.#options = options;
  }

  #url(path: string): string {
    const url = new URL(path, this.#options.apiUrl);
    if (this.#options.teamId) url.searchParams.set('teamId', this.#options.teamId);
    return url.toString();
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Answer }> {
    const reply = await (this.#options.fetch ?? fetch)(this.#url(path), {
      method,
      headers: {
        authorization: `Bearer ${this.#options.token}`,
        ...(body === undefined || Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) }),
    }).catch((error: unknown) => {
      throw new VercelError(
        `Vercel's API (${this.#options.apiUrl}) did not answer: ${(error as Error).message}`,
      );
    });
    const text = await reply.text();
    return { status: reply.status, body: (text ? JSON.parse(text) : {}) as Answer };
  }

  async #project(): Promise<Project> {
    const { status, body } = await this.#request('GET', `/v9/projects/${this.#options.projectId}`);
    if (status !== 200 || !body.id)
      throw new VercelError(
        `Vercel: project ${this.#options.projectId}: ${body.error?.message ?? `HTTP ${status}`}`,
      );
    return { id: body.id, ...(body.targets ? { targets: body.targets } : {}) };
  }

  async current(): Promise<Release | undefined> {
    const production = (await this.#project()).targets?.production;
    if (!production) return undefined;
    return {
      id: production.id,
      artefact: production.id,
      url: urlOf(production.alias?.[0] ?? production.url),
    };
  }

  async serving(): Promise<string | undefined> {
    return (await this.current())?.id;
  }

  async #create(files: UploadFile[]) {
    const body = {
      name: this.#options.projectId,
      project: this.#options.projectId,
      target: this.#options.target,
      files: files.map(({ file, sha, size }) => ({ file, sha, size })),
      projectSettings: { framework: null },
      // Production build, but the domains move only when it is promoted (after the smoke).
      autoAssignCustomDomains: false,
    };
    return this.#request('POST', '/v13/deployments?skipAutoDetectionConfirmation=1', body);
  }

  async #upload(file: UploadFile): Promise<void> {
    const { status, body } = await this.#request('POST', '/v2/files', await readFile(file.path), {
      'content-type': 'application/octet-stream',
      'x-vercel-digest': file.sha,
      'content-length': String(file.size),
    });
    if (status !== 200)
      throw new VercelError(`Vercel: uploading ${file.file}: ${body.error?.message ?? `HTTP ${status}`}`);
  }

  /** Creates the deployment; uploads what Vercel says it is missing, then asks again. Waits until READY. */
  async deploy(artefact: FrontendArtefact, progress: (line: string) => void): Promise<Release> {
    const files = await outputFiles(artefact.outputDir);
    let created = await this.#create(files);
    if (created.status === 400 && created.body.error?.code === 'missing_files') {
      const missing = new Set(created.body.error.missing ?? []);
      progress(`vercel: uploading ${missing.size} of ${files.length} files`);
      for (const file of files.filter((f) => missing.has(f.sha))) await this.#upload(file);
      created = await this.#create(files);
    }
    const { id } = created.body;
    if (created.status !== 200 || !id) {
      throw new VercelError(
        `Vercel: creating the deployment: ${created.body.error?.message ?? `HTTP ${created.status}`}`,
      );
    }
    progress(`vercel deployment ${id} created (${files.length} files, ${outputDigest(files)})`);
    let last = '';
    const { value, timedOut } = await pollUntil(
      async () => {
        const { body } = await this.#request('GET', `/v13/deployments/${id}`);
        return { readyState: body.readyState ?? 'QUEUED', url: body.url ?? '' };
      },
      (deployment) => {
        if (deployment.readyState !== last) progress(`vercel deployment ${id}: ${deployment.readyState}`);
        last = deployment.readyState;
        return ['READY', 'ERROR', 'CANCELED'].includes(deployment.readyState);
      },
      { timeoutMs: this.#options.deployTimeoutMs, everyMs: this.#options.pollMs },
    );
    const release = { id, artefact: outputDigest(files), url: urlOf(value.url) };
    if (timedOut)
      throw new DeployFailed(
        `vercel deployment ${id} was still ${value.readyState}`,
        value.readyState,
        release,
      );
    if (value.readyState !== 'READY')
      throw new DeployFailed(`vercel deployment ${id} ended ${value.readyState}`, value.readyState, release);
    return release;
  }

  async #switchTo(id: string, path: string, action: string): Promise<void> {
    const { status, body } = await this.#request('POST', path, {});
    if (![200, 201, 202].includes(status)) {
      throw new VercelError(`Vercel: ${action} ${id}: ${body.error?.message ?? `HTTP ${status}`}`);
    }
    const { timedOut } = await pollUntil(
      () => this.#project(),
      (project) => project.targets?.production?.id === id,
      { timeoutMs: this.#options.deployTimeoutMs, everyMs: this.#options.pollMs },
    );
    if (timedOut) throw new DeployFailed(`vercel: production is not ${id} after the ${action}`, action);
  }

  /** Makes a READY deployment production: the project's domains point at it. */
  async promote(release: Release, progress: (line: string) => void): Promise<void> {
    progress(`vercel: promoting ${release.id} to production`);
    await this.#switchTo(
      release.id,
      `/v10/projects/${this.#options.projectId}/promote/${release.id}`,
      'promote',
    );
  }

  async rollback(to: Release, progress: (line: string) => void): Promise<void> {
    if ((await this.current())?.id === to.id) return;
    progress(`vercel: rolling production back to ${to.id}`);
    await this.#switchTo(to.id, `/v1/projects/${this.#options.projectId}/rollback/${to.id}`, 'rollback');
  }

  plan(artefact: FrontendArtefact): string[] {
    const api = this.#options.apiUrl;
    return [
      `POST ${api}/v13/deployments (project ${this.#options.projectId}, target ${this.#options.target}, the files of ${artefact.outputDir}, autoAssignCustomDomains false)`,
      `POST ${api}/v2/files for each file Vercel reports missing (x-vercel-digest: its SHA-1), then POST ${api}/v13/deployments again`,
      `GET ${api}/v13/deployments/<id> every ${this.#options.pollMs / 1000} s until READY (or ERROR)`,
      `(after the smoke) POST ${api}/v10/projects/${this.#options.projectId}/promote/<id>, then GET ${api}/v9/projects/${this.#options.projectId} until targets.production is <id>`,
    ];
  }
}
