// The one file that speaks Vercel's REST API: the Build Output uploaded file by
// file (SHA-1 addressed) and a deployment created from it, then made what the
// environment's users get. Production: a production deployment that does not
// take the domains until it is READY and promoted; the smoke then runs against
// production, and a failing smoke rolls production back to the deployment
// before. Staging: a preview deployment (production untouched), which the
// staging domain (VERCEL_STAGING_DOMAIN) is aliased to; rolling back re-aliases
// that domain to the deployment it pointed at before.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  DeployFailed,
  pollUntil,
  type Environment,
  type FrontendArtefact,
  type FrontendTarget,
  type Release,
  type TargetDefinition,
  type TargetPlan,
} from './target.ts';

export const vercelApi = 'https://api.vercel.com';

export interface VercelOptions {
  apiUrl: string;
  token: string;
  projectId: string;
  /** For a team's project: its id (VERCEL_ORG_ID). */
  teamId?: string;
  environment: Environment;
  /** Staging: the domain (e.g. staging.example.com) aliased to each staging deployment. */
  stagingDomain?: string;
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

interface Alias {
  alias: string;
  deploymentId: string | null;
}

/** Any answer of the API: a deployment, a project, an alias, or an error. */
type Answer = Partial<Deployment> &
  Partial<Project> &
  Partial<Alias> & { error?: { code: string; message: string; missing?: string[] } };

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
    if (options.environment === 'staging' && !options.stagingDomain)
      throw new VercelError('staging needs VERCEL_STAGING_DOMAIN: the domain staging is served at');
    this.#options = options;
  }

  get #staging(): string | undefined {
    return this.#options.environment === 'staging' ? this.#options.stagingDomain : undefined;
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

  /** The deployment the staging domain points at; undefined when it points at none yet. */
  async #aliased(domain: string): Promise<string | undefined> {
    const { status, body } = await this.#request(
      'GET',
      `/v4/aliases/${encodeURIComponent(domain)}?projectId=${this.#options.projectId}`,
    );
    if (status === 404) return undefined;
    if (status !== 200)
      throw new VercelError(`Vercel: alias ${domain}: ${body.error?.message ?? `HTTP ${status}`}`);
    return body.deploymentId ?? undefined;
  }

  async current(): Promise<Release | undefined> {
    const staging = this.#staging;
    if (staging) {
      const id = await this.#aliased(staging);
      return id ? { id, artefact: id, url: urlOf(staging) } : undefined;
    }
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
      // Production: built for production, but the domains move only when it is promoted.
      // Staging: a preview (no target), which production never sees.
      ...(this.#staging ? {} : { target: 'production', autoAssignCustomDomains: false }),
      files: files.map(({ file, sha, size }) => ({ file, sha, size })),
      projectSettings: { framework: null },
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

  /** Points the environment at deployment `id` and waits until Vercel says it does. */
  async #switchTo(id: string, action: 'promote' | 'rollback'): Promise<void> {
    const staging = this.#staging;
    const project = this.#options.projectId;
    const { status, body } = staging
      ? await this.#request('POST', `/v2/deployments/${id}/aliases`, { alias: staging })
      : await this.#request(
          'POST',
          action === 'promote'
            ? `/v10/projects/${project}/promote/${id}`
            : `/v1/projects/${project}/rollback/${id}`,
          {},
        );
    if (![200, 201, 202].includes(status)) {
      throw new VercelError(`Vercel: ${action} ${id}: ${body.error?.message ?? `HTTP ${status}`}`);
    }
    const { timedOut } = await pollUntil(
      () => this.serving(),
      (serving) => serving === id,
      { timeoutMs: this.#options.deployTimeoutMs, everyMs: this.#options.pollMs },
    );
    if (timedOut)
      throw new DeployFailed(`vercel: ${this.#options.environment} is not ${id} after the ${action}`, action);
  }

  /** Makes a READY deployment the environment's: production's domains, or the staging domain. */
  async promote(release: Release, progress: (line: string) => void): Promise<void> {
    const staging = this.#staging;
    progress(
      staging
        ? `vercel: aliasing ${staging} to ${release.id}`
        : `vercel: promoting ${release.id} to production`,
    );
    await this.#switchTo(release.id, 'promote');
  }

  async rollback(to: Release, progress: (line: string) => void): Promise<void> {
    if ((await this.current())?.id === to.id) return;
    progress(`vercel: rolling ${this.#options.environment} back to ${to.id}`);
    await this.#switchTo(to.id, 'rollback');
  }

  plan(artefact: FrontendArtefact): TargetPlan & { promote: string[] } {
    const { apiUrl: api, projectId, pollMs, deployTimeoutMs } = this.#options;
    const staging = this.#staging;
    const every = `every ${pollMs / 1000} s (at most ${deployTimeoutMs / 1000} s)`;
    const read = staging
      ? `GET ${api}/v4/aliases/${staging}?projectId=${projectId}`
      : `GET ${api}/v9/projects/${projectId}`;
    const live = `${read}: ${staging ? 'the deployment the staging domain points at' : 'targets.production, the deployment production serves'}`;
    const switchTo = (to: string, action: 'promote' | 'rollback') => [
      staging
        ? `POST ${api}/v2/deployments/${to}/aliases {"alias":"${staging}"}`
        : action === 'promote'
          ? `POST ${api}/v10/projects/${projectId}/promote/${to}`
          : `POST ${api}/v1/projects/${projectId}/rollback/${to}`,
      `${read} ${every} until it is ${to}`,
    ];
    return {
      current: [live],
      deploy: [
        `POST ${api}/v13/deployments (project ${projectId}, ${staging ? 'a preview: no target' : 'target production, autoAssignCustomDomains false'}, the files of ${artefact.outputDir})`,
        `POST ${api}/v2/files for each file Vercel reports missing (x-vercel-digest: its SHA-1), then POST ${api}/v13/deployments again`,
        `GET ${api}/v13/deployments/<new deployment> ${every} until READY (or ERROR)`,
      ],
      promote: switchTo('<new deployment>', 'promote'),
      serving: [live],
      rollback: [live, ...switchTo('<the deployment live before>', 'rollback')],
    };
  }
}

export const vercel: TargetDefinition<FrontendTarget> = {
  name: 'vercel',
  variables: (environment) => [
    { names: ['VERCEL_TOKEN'], what: 'a Vercel access token' },
    { names: ['VERCEL_PROJECT_ID'], what: "the frontend project's id (prj_…)" },
    ...(environment === 'staging'
      ? [
          {
            names: ['VERCEL_STAGING_DOMAIN'],
            what: 'the domain staging is served at, e.g. staging.example.com',
          },
        ]
      : []),
  ],
  create: (env, { environment, deployTimeoutMs, pollMs }) =>
    new VercelTarget({
      apiUrl: env.VERCEL_API_URL ?? vercelApi,
      token: env.VERCEL_TOKEN ?? '',
      projectId: env.VERCEL_PROJECT_ID ?? '',
      ...(env.VERCEL_ORG_ID ? { teamId: env.VERCEL_ORG_ID } : {}),
      environment,
      ...(env.VERCEL_STAGING_DOMAIN ? { stagingDomain: env.VERCEL_STAGING_DOMAIN } : {}),
      deployTimeoutMs,
      pollMs,
    }),
};
