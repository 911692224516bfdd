// The one file that speaks Railway's public GraphQL API: every document the
// promotion sends is here. The backend service is deployed from an image by
// digest; the settings railway.json would hold travel with the API call (an
// image-sourced service has no repository for Railway to read that file from).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../paths.ts';
import {
  DeployFailed,
  pollUntil,
  type BackendTarget,
  type Release,
  type TargetDefinition,
  type TargetPlan,
} from './target.ts';

export const railwayApi = 'https://backboard.railway.com/graphql/v2';

const documents = {
  serviceInstance: `query ServiceInstance($serviceId: String!, $environmentId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    source { image }
    domains { serviceDomains { domain } customDomains { domain } }
  }
}`,
  deployments: `query Deployments($serviceId: String!, $environmentId: String!) {
  deployments(first: 10, input: { serviceId: $serviceId, environmentId: $environmentId, status: { in: [SUCCESS] } }) {
    edges { node { id status createdAt meta canRollback } }
  }
}`,
  deployment: `query Deployment($id: String!) {
  deployment(id: $id) { id status createdAt meta canRollback }
}`,
  update: `mutation ServiceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}`,
  deploy: `mutation ServiceInstanceDeployV2($serviceId: String!, $environmentId: String!) {
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId)
}`,
  rollback: `mutation DeploymentRollback($id: String!) {
  deploymentRollback(id: $id)
}`,
} as const;

export type RailwayDocument = keyof typeof documents;

/** deploy/railway.json's `deploy` section: what Railway would read from a repository. */
interface RailwayDeploySettings {
  startCommand?: string;
  preDeployCommand?: string[] | string;
  healthcheckPath?: string;
  healthcheckTimeout?: number;
  restartPolicyType?: 'ON_FAILURE' | 'ALWAYS' | 'NEVER';
  restartPolicyMaxRetries?: number;
  numReplicas?: number;
}

export function railwaySettings(file = join(repoRoot, 'deploy', 'railway.json')): RailwayDeploySettings {
  const { deploy } = JSON.parse(readFileSync(file, 'utf8')) as { deploy?: RailwayDeploySettings };
  if (!deploy) throw new Error(`${file} has no "deploy" section`);
  return deploy;
}

export interface RailwayOptions {
  apiUrl: string;
  /** An account or workspace token (Bearer), or a project token. */
  token: string;
  tokenKind: 'bearer' | 'project';
  serviceId: string;
  environmentId: string;
  settings: RailwayDeploySettings;
  deployTimeoutMs: number;
  pollMs: number;
  fetch?: typeof fetch;
}

type Status =
  | 'BUILDING'
  | 'CRASHED'
  | 'DEPLOYING'
  | 'FAILED'
  | 'INITIALIZING'
  | 'NEEDS_APPROVAL'
  | 'QUEUED'
  | 'REMOVED'
  | 'REMOVING'
  | 'SKIPPED'
  | 'SLEEPING'
  | 'SUCCESS'
  | 'WAITING';
const failedStatuses: readonly Status[] = ['CRASHED', 'FAILED', 'REMOVED', 'SKIPPED'];

interface Deployment {
  id: string;
  status: Status;
  createdAt: string;
  meta?: { image?: string; imageDigest?: string } | null;
  canRollback?: boolean;
}

interface ServiceInstance {
  source: { image?: string | null } | null;
  domains: { serviceDomains: { domain: string }[]; customDomains: { domain: string }[] };
}

/** Railway answered with GraphQL errors (or not at all). */
export class RailwayError extends Error {
  override name = 'RailwayError';
}

/** The loopback stand-in is reached over http; Railway's domains over https. */
const urlOf = (domain: string) =>
  /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(domain) ? `http://${domain}` : `https://${domain}`;

const digestOf = (image: string | undefined) => /@(sha256:[0-9a-f]{64})$/.exec(image ?? '')?.[1];

export class RailwayTarget implements BackendTarget {
  readonly name = 'railway';
  readonly #options: RailwayOptions;

  constructor(options: RailwayOptions) {
    this.#options = options;
  }

  async #call<T>(document: RailwayDocument, variables: Record<string, unknown>): Promise<T> {
    const { token, tokenKind, apiUrl } = this.#options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (tokenKind === 'project') headers['project-access-token'] = token;
    else headers.authorization = `Bearer ${token}`;
    const reply = await (this.#options.fetch ?? fetch)(apiUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: documents[document], variables }),
    }).catch((error: unknown) => {
      throw new RailwayError(`Railway's API (${apiUrl}) did not answer: ${(error as Error).message}`);
    });
    if (reply.status === 429) {
      throw new RailwayError(
        `Railway's API is rate limiting us (retry after ${reply.headers.get('retry-after') ?? '?'} s)`,
      );
    }
    const body = (await reply.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
    // Errors arrive in the body whatever the HTTP status.
    if (body.errors?.length)
      throw new RailwayError(`Railway ${document}: ${body.errors[0]?.message ?? 'error'}`);
    if (!reply.ok || !body.data) throw new RailwayError(`Railway ${document}: HTTP ${reply.status}`);
    return body.data;
  }

  get #ids() {
    return { serviceId: this.#options.serviceId, environmentId: this.#options.environmentId };
  }

  async #instance(): Promise<ServiceInstance> {
    return (await this.#call<{ serviceInstance: ServiceInstance }>('serviceInstance', this.#ids))
      .serviceInstance;
  }

  #url({ domains }: ServiceInstance): string {
    const domain = domains.customDomains[0]?.domain ?? domains.serviceDomains[0]?.domain;
    if (!domain)
      throw new RailwayError('the Railway service has no domain: generate one in its Networking settings');
    return urlOf(domain);
  }

  async #deployment(id: string): Promise<Deployment> {
    return (await this.#call<{ deployment: Deployment }>('deployment', { id })).deployment;
  }

  #release(deployment: Deployment, image: string, url: string): Release {
    return { id: deployment.id, artefact: deployment.meta?.image ?? image, url };
  }

  async current(): Promise<Release | undefined> {
    const { deployments } = await this.#call<{ deployments: { edges: { node: Deployment }[] } }>(
      'deployments',
      this.#ids,
    );
    const live = deployments.edges
      .map((edge) => edge.node)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!live) return undefined;
    const instance = await this.#instance();
    return this.#release(live, instance.source?.image ?? '', this.#url(instance));
  }

  async #waitLive(id: string, progress: (line: string) => void, image: string): Promise<Release> {
    let last: Status | undefined;
    const { value, timedOut } = await pollUntil(
      () => this.#deployment(id),
      (deployment) => {
        if (deployment.status !== last) progress(`railway deployment ${id}: ${deployment.status}`);
        last = deployment.status;
        return deployment.status === 'SUCCESS' || failedStatuses.includes(deployment.status);
      },
      { timeoutMs: this.#options.deployTimeoutMs, everyMs: this.#options.pollMs },
    );
    const release = this.#release(value, image, this.#url(await this.#instance()));
    if (timedOut) {
      throw new DeployFailed(
        `railway deployment ${id} was still ${value.status} after ${this.#options.deployTimeoutMs / 1000} s`,
        value.status,
        release,
      );
    }
    if (value.status !== 'SUCCESS')
      throw new DeployFailed(`railway deployment ${id} ended ${value.status}`, value.status, release);
    return release;
  }

  #input(image: string) {
    const { settings } = this.#options;
    const pre = settings.preDeployCommand;
    return {
      source: { image },
      ...(settings.startCommand ? { startCommand: settings.startCommand } : {}),
      ...(pre ? { preDeployCommand: Array.isArray(pre) ? pre : [pre] } : {}),
      ...(settings.healthcheckPath ? { healthcheckPath: settings.healthcheckPath } : {}),
      ...(settings.healthcheckTimeout ? { healthcheckTimeout: settings.healthcheckTimeout } : {}),
      ...(settings.restartPolicyType ? { restartPolicyType: settings.restartPolicyType } : {}),
      ...(settings.restartPolicyMaxRetries !== undefined
        ? { restartPolicyMaxRetries: settings.restartPolicyMaxRetries }
        : {}),
      ...(settings.numReplicas ? { numReplicas: settings.numReplicas } : {}),
    };
  }

  async deploy(image: string, progress: (line: string) => void): Promise<Release> {
    await this.#call('update', { ...this.#ids, input: this.#input(image) });
    const { serviceInstanceDeployV2: id } = await this.#call<{ serviceInstanceDeployV2: string }>(
      'deploy',
      this.#ids,
    );
    progress(`railway deployment ${id} created for ${image}`);
    return this.#waitLive(id, progress, image);
  }

  async serving(): Promise<string | undefined> {
    const live = await this.current();
    if (!live) return undefined;
    const deployment = await this.#deployment(live.id);
    // What was pulled, where the platform says; else the reference it was told to run.
    return deployment.meta?.imageDigest ?? digestOf(deployment.meta?.image) ?? digestOf(live.artefact);
  }

  async rollback(to: Release, progress: (line: string) => void): Promise<void> {
    const before = await this.current();
    // A deployment that failed never took traffic: the earlier one still serves.
    if (before?.id === to.id) return;
    const { deploymentRollback } = await this.#call<{ deploymentRollback: boolean }>('rollback', {
      id: to.id,
    });
    if (!deploymentRollback) throw new RailwayError(`Railway refused to roll back to deployment ${to.id}`);
    progress(`railway: rolling back to deployment ${to.id} (${to.artefact})`);
    // A rollback is a new deployment of the earlier one's image and variables.
    const { value, timedOut } = await pollUntil(
      () => this.current(),
      (live) =>
        live !== undefined && live.id !== before?.id && digestOf(live.artefact) === digestOf(to.artefact),
      { timeoutMs: this.#options.deployTimeoutMs, everyMs: this.#options.pollMs },
    );
    if (timedOut)
      throw new DeployFailed(`railway did not serve ${to.artefact} again in time`, 'ROLLBACK', value);
  }

  plan(image: string): TargetPlan {
    const { apiUrl: api, pollMs, deployTimeoutMs } = this.#options;
    const ids = `serviceId: ${this.#options.serviceId}, environmentId: ${this.#options.environmentId}`;
    const every = `every ${pollMs / 1000} s (at most ${deployTimeoutMs / 1000} s)`;
    const live = `POST ${api} deployments(${ids}, status: SUCCESS): the live deployment`;
    const instance = `POST ${api} serviceInstance(${ids}): its source image and domain`;
    return {
      current: [live, instance],
      deploy: [
        `POST ${api} serviceInstanceUpdate(${ids}, input: ${JSON.stringify(this.#input(image))})`,
        `POST ${api} serviceInstanceDeployV2(${ids})`,
        `POST ${api} deployment(id: <new deployment>) ${every} until SUCCESS (or FAILED, CRASHED)`,
        instance,
      ],
      serving: [live, instance, `POST ${api} deployment(id: <live deployment>): meta.imageDigest`],
      rollback: [
        live,
        instance,
        `POST ${api} deploymentRollback(id: <the deployment live before>)`,
        `${live}, then serviceInstance, ${every} until a new deployment runs the earlier image`,
      ],
    };
  }
}

export const railway: TargetDefinition<BackendTarget> = {
  name: 'railway',
  variables: (environment) => [
    {
      names: ['RAILWAY_TOKEN', 'RAILWAY_PROJECT_TOKEN'],
      what: "an account or workspace token, or a project token (one environment's)",
    },
    { names: ['RAILWAY_SERVICE_ID'], what: "the backend service's id" },
    environment === 'staging'
      ? { names: ['RAILWAY_STAGING_ENVIRONMENT_ID'], what: 'the Railway environment staging deploys to' }
      : { names: ['RAILWAY_ENVIRONMENT_ID'], what: 'the Railway environment production deploys to' },
  ],
  create: (env, { environment, deployTimeoutMs, pollMs }) =>
    new RailwayTarget({
      apiUrl: env.RAILWAY_API_URL ?? railwayApi,
      token: env.RAILWAY_TOKEN ?? env.RAILWAY_PROJECT_TOKEN ?? '',
      tokenKind: env.RAILWAY_TOKEN ? 'bearer' : 'project',
      serviceId: env.RAILWAY_SERVICE_ID ?? '',
      environmentId:
        (environment === 'staging' ? env.RAILWAY_STAGING_ENVIRONMENT_ID : env.RAILWAY_ENVIRONMENT_ID) ?? '',
      settings: railwaySettings(),
      deployTimeoutMs,
      pollMs,
    }),
};
