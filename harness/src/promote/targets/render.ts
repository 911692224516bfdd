// The one file that speaks Render's REST API: an image-backed web service
// deployed by digest (the image URL may change only its tag or digest), polled
// until live, rolled back to an earlier deploy. Its blueprint (render.yaml) is
// generated from the same settings as Railway's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../paths.ts';
import { railwaySettings } from './railway.ts';
import {
  DeployFailed,
  pollUntil,
  type BackendTarget,
  type Release,
  type TargetDefinition,
  type TargetPlan,
} from './target.ts';

export const renderApi = 'https://api.render.com/v1';

type Status =
  | 'created'
  | 'queued'
  | 'build_in_progress'
  | 'build_failed'
  | 'update_in_progress'
  | 'update_failed'
  | 'live'
  | 'deactivated'
  | 'canceled'
  | 'pre_deploy_in_progress'
  | 'pre_deploy_failed';
const ended: readonly Status[] = [
  'build_failed',
  'update_failed',
  'live',
  'deactivated',
  'canceled',
  'pre_deploy_failed',
];

interface Deploy {
  id: string;
  status: Status;
  createdAt: string;
  image?: { ref?: string; sha?: string };
}

export interface RenderOptions {
  apiUrl: string;
  apiKey: string;
  serviceId: string;
  deployTimeoutMs: number;
  pollMs: number;
  fetch?: typeof fetch;
}

export class RenderError extends Error {
  override name = 'RenderError';
}

const urlOf = (url: string) => url;

export class RenderTarget implements BackendTarget {
  readonly name = 'render';
  readonly #options: RenderOptions;

  constructor(options: RenderOptions) {
    this.#options = options;
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.#options.apiUrl}${path}`;
    const reply = await (this.#options.fetch ?? fetch)(url, {
      method,
      headers: {
        authorization: `Bearer ${this.#options.apiKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: unknown) => {
      throw new RenderError(
        `Render's API (${this.#options.apiUrl}) did not answer: ${(error as Error).message}`,
      );
    });
    const text = await reply.text();
    const parsed = (text ? JSON.parse(text) : {}) as T & { message?: string };
    if (!reply.ok)
      throw new RenderError(`Render ${method} ${path}: ${parsed.message ?? `HTTP ${reply.status}`}`);
    return parsed;
  }

  async #url(): Promise<string> {
    const service = await this.#request<{ serviceDetails?: { url?: string } }>(
      'GET',
      `/services/${this.#options.serviceId}`,
    );
    const url = service.serviceDetails?.url;
    if (!url) throw new RenderError('the Render service has no URL');
    return urlOf(url);
  }

  async #live(): Promise<Deploy | undefined> {
    const list = await this.#request<{ deploy: Deploy }[]>(
      'GET',
      `/services/${this.#options.serviceId}/deploys?status=live&limit=1`,
    );
    return list[0]?.deploy;
  }

  async current(): Promise<Release | undefined> {
    const live = await this.#live();
    if (!live) return undefined;
    return { id: live.id, artefact: live.image?.ref ?? '', url: await this.#url() };
  }

  async serving(): Promise<string | undefined> {
    const live = await this.#live();
    return live?.image?.sha ?? /@(sha256:[0-9a-f]{64})$/.exec(live?.image?.ref ?? '')?.[1];
  }

  async #waitLive(deploy: Deploy, progress: (line: string) => void): Promise<Release> {
    let last: Status | undefined;
    const { value, timedOut } = await pollUntil(
      () => this.#request<Deploy>('GET', `/services/${this.#options.serviceId}/deploys/${deploy.id}`),
      (d) => {
        if (d.status !== last) progress(`render deploy ${d.id}: ${d.status}`);
        last = d.status;
        return ended.includes(d.status);
      },
      { timeoutMs: this.#options.deployTimeoutMs, everyMs: this.#options.pollMs },
    );
    const release = { id: value.id, artefact: value.image?.ref ?? '', url: await this.#url() };
    if (timedOut)
      throw new DeployFailed(`render deploy ${value.id} was still ${value.status}`, value.status, release);
    if (value.status !== 'live')
      throw new DeployFailed(`render deploy ${value.id} ended ${value.status}`, value.status, release);
    return release;
  }

  async deploy(image: string, progress: (line: string) => void): Promise<Release> {
    const deploy = await this.#request<Deploy>('POST', `/services/${this.#options.serviceId}/deploys`, {
      imageUrl: image,
    });
    progress(`render deploy ${deploy.id} created for ${image}`);
    return this.#waitLive(deploy, progress);
  }

  async rollback(to: Release, progress: (line: string) => void): Promise<void> {
    if ((await this.current())?.id === to.id) return;
    progress(`render: rolling back to deploy ${to.id} (${to.artefact})`);
    const deploy = await this.#request<Deploy>('POST', `/services/${this.#options.serviceId}/rollback`, {
      deployId: to.id,
    });
    await this.#waitLive(deploy, progress);
  }

  plan(image: string): TargetPlan {
    const { apiUrl, serviceId, pollMs, deployTimeoutMs } = this.#options;
    const base = `${apiUrl}/services/${serviceId}`;
    const every = `every ${pollMs / 1000} s (at most ${deployTimeoutMs / 1000} s)`;
    const live = `GET ${base}/deploys?status=live&limit=1: the live deploy`;
    const service = `GET ${base}: the service's URL`;
    return {
      current: [live, service],
      deploy: [
        `POST ${base}/deploys {"imageUrl":"${image}"}`,
        `GET ${base}/deploys/<new deploy> ${every} until live (or build_failed, update_failed, pre_deploy_failed)`,
        service,
      ],
      serving: [live],
      rollback: [
        live,
        service,
        `POST ${base}/rollback {"deployId":"<the deploy live before>"}`,
        `GET ${base}/deploys/<rollback deploy> ${every} until live`,
        service,
      ],
    };
  }
}

export const render: TargetDefinition<BackendTarget> = {
  name: 'render',
  variables: (environment) => [
    { names: ['RENDER_API_KEY'], what: 'a Render API key' },
    environment === 'staging'
      ? { names: ['RENDER_STAGING_SERVICE_ID'], what: "the staging backend web service's id (srv-…)" }
      : { names: ['RENDER_SERVICE_ID'], what: "the backend web service's id (srv-…)" },
  ],
  create: (env, { environment, deployTimeoutMs, pollMs }) =>
    new RenderTarget({
      apiUrl: env.RENDER_API_URL ?? renderApi,
      apiKey: env.RENDER_API_KEY ?? '',
      serviceId: (environment === 'staging' ? env.RENDER_STAGING_SERVICE_ID : env.RENDER_SERVICE_ID) ?? '',
      deployTimeoutMs,
      pollMs,
    }),
};

/**
 * render.yaml for the backend as an image-backed web service, from the same
 * settings as deploy/railway.json (one place for start, pre-deploy, health,
 * instances) and the variables of .env.example (secrets are `sync: false`:
 * set in Render's dashboard, never in the file).
 */
export function renderBlueprint(image: string, options: { name?: string } = {}): string {
  const settings = railwaySettings();
  const pre = Array.isArray(settings.preDeployCommand)
    ? settings.preDeployCommand.join(' && ')
    : settings.preDeployCommand;
  const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
  const names = [...new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string))];
  const secret = /SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL|REDIS_URL/;
  const wanted = ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'AUTH_SECRET', 'TRUST_PROXY'].filter((n) =>
    names.includes(n),
  );
  const lines = [
    '# Generated by `npm run render:blueprint` from deploy/railway.json and .env.example: edit those, not this.',
    'services:',
    '  - type: web',
    `    name: ${options.name ?? 'todo-backend'}`,
    '    runtime: image',
    '    image:',
    `      url: ${image}`,
    ...(settings.startCommand ? [`    dockerCommand: ${settings.startCommand}`] : []),
    ...(pre ? [`    preDeployCommand: ${pre}`] : []),
    ...(settings.healthcheckPath ? [`    healthCheckPath: ${settings.healthcheckPath}`] : []),
    `    numInstances: ${settings.numReplicas ?? 1}`,
    '    autoDeploy: false',
    '    envVars:',
    '      - key: NODE_ENV',
    '        value: production',
    ...wanted.flatMap((name) =>
      secret.test(name) || name === 'PUBLIC_URL'
        ? [`      - key: ${name}`, '        sync: false']
        : [`      - key: ${name}`, `        value: ${name === 'TRUST_PROXY' ? "'2'" : "''"}`],
    ),
    '',
  ];
  return lines.join('\n');
}
