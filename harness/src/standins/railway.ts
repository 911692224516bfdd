// A stand-in for Railway's public GraphQL API (the subset promotion uses, in
// the schema's own shapes) for one service in two environments (production and
// staging, each with its own settings, variables, deployments and domain) that
// really deploys: each deployment pulls the image
// by digest from the registry, runs the pre-deploy command, starts the replicas
// with the service's variables, waits for the health check path, and only then
// switches the service's domain (the edge) to it. A deployment is a state
// machine INITIALIZING → DEPLOYING → SUCCESS | FAILED | CRASHED, and REMOVED
// once another replaces it; rollback deploys an earlier one's image and variables again.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql } from 'graphql';
import { bringUp, digestOf } from './deployer.ts';
import { railwaySchema as schema } from './railway-schema.ts';
import { startEdge, type Edge } from './edge.ts';
import type { Replica, Runtime } from './runtime.ts';

type Status = 'INITIALIZING' | 'DEPLOYING' | 'SUCCESS' | 'FAILED' | 'CRASHED' | 'REMOVED';

interface Settings {
  image?: string;
  startCommand?: string;
  preDeployCommand?: string[];
  healthcheckPath?: string;
  healthcheckTimeout?: number;
  numReplicas?: number;
  restartPolicyType?: 'ON_FAILURE' | 'ALWAYS' | 'NEVER';
  restartPolicyMaxRetries?: number;
}

interface Deployment {
  id: string;
  environmentId: string;
  status: Status;
  createdAt: string;
  settings: Settings;
  variables: Record<string, string>;
  replicas: Replica[];
  /** What docker pulled for it: repo@sha256:… */
  pulled?: string;
  /** Why it failed, for its log. */
  reason?: string;
}

/** One environment of the service: what it runs and where it is reached. */
interface Environment {
  edge: Edge;
  settings: Settings;
  variables: Record<string, string>;
}

export interface RailwayStandIn extends AsyncDisposable {
  /** The GraphQL endpoint (as https://backboard.railway.com/graphql/v2). */
  apiUrl: string;
  token: string;
  projectId: string;
  /** Production's environment. */
  environmentId: string;
  stagingEnvironmentId: string;
  serviceId: string;
  /** The service's domain in production: an edge on 127.0.0.1. */
  serviceUrl: string;
  /** Its domain in staging. */
  stagingServiceUrl: string;
  /** Sets the service's variables in an environment, production's by default (as the dashboard would). */
  setVariables(variables: Record<string, string>, environmentId?: string): void;
  /** Test knob: report this digest as running instead of what was pulled (a lying platform). */
  misreportDigest(digest: string | undefined): void;
  close(): Promise<void>;
}

class GraphQLFailure extends Error {}

export async function startRailwayStandIn(options: {
  runtime: Runtime;
  port?: number;
}): Promise<RailwayStandIn> {
  const { runtime } = options;
  const ids = {
    projectId: randomUUID(),
    environmentId: randomUUID(),
    stagingEnvironmentId: randomUUID(),
    serviceId: randomUUID(),
  };
  const token = `standin-${randomUUID()}`;
  const environments = new Map<string, Environment>();
  for (const [id, name] of [
    [ids.environmentId, 'railway'],
    [ids.stagingEnvironmentId, 'railway staging'],
  ] as const) {
    environments.set(id, {
      edge: await startEdge({ name }),
      settings: { numReplicas: 1, restartPolicyType: 'ON_FAILURE', healthcheckTimeout: 300 },
      variables: {},
    });
  }
  const deployments: Deployment[] = [];
  let misreported: string | undefined;
  const working = new Set<Promise<void>>();

  const environmentOf = (id: string | null | undefined) => {
    const environment = environments.get(id ?? ids.environmentId);
    if (!environment) throw new GraphQLFailure('Environment not found');
    return environment;
  };
  const domainOf = (environment: Environment) => environment.edge.url.replace(/^http:\/\//, '');
  const live = (environmentId: string) =>
    deployments.find((d) => d.environmentId === environmentId && d.status === 'SUCCESS');
  const view = (d: Deployment) => ({
    id: d.id,
    status: d.status,
    createdAt: d.createdAt,
    canRollback: d.status !== 'SUCCESS' && d.settings.image !== undefined && d.pulled !== undefined,
    serviceId: ids.serviceId,
    environmentId: d.environmentId,
    url: d.status === 'SUCCESS' ? domainOf(environmentOf(d.environmentId)) : null,
    staticUrl: domainOf(environmentOf(d.environmentId)),
    meta: {
      image: d.settings.image,
      ...(d.pulled ? { imageDigest: misreported ?? digestOf(d.pulled) } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
    },
  });
  const find = (id: string) => {
    const deployment = deployments.find((d) => d.id === id);
    if (!deployment) throw new GraphQLFailure(`Deployment not found`);
    return deployment;
  };
  const checkIds = (serviceId: string, environmentId?: string | null) => {
    if (serviceId !== ids.serviceId) throw new GraphQLFailure('Service not found');
    environmentOf(environmentId);
  };

  async function run(d: Deployment): Promise<void> {
    const image = d.settings.image;
    if (!image) {
      d.status = 'FAILED';
      d.reason = 'the service has no source image';
      return;
    }
    d.status = 'DEPLOYING';
    const outcome = await bringUp(runtime, {
      image,
      env: { ...d.variables, PORT: d.variables.PORT ?? '3000' },
      preDeploy: d.settings.preDeployCommand ?? [],
      ...(d.settings.startCommand ? { startCommand: d.settings.startCommand } : {}),
      replicas: d.settings.numReplicas ?? 1,
      healthPath: d.settings.healthcheckPath ?? '/',
      healthTimeoutSeconds: d.settings.healthcheckTimeout ?? 300,
      label: `railway-${d.id.slice(0, 8)}`,
    });
    if (outcome.pulled) d.pulled = outcome.pulled;
    if (outcome.state !== 'live') {
      d.status = outcome.state === 'crashed' ? 'CRASHED' : 'FAILED';
      d.reason = outcome.reason;
      return;
    }
    d.replicas = outcome.replicas;
    const previous = live(d.environmentId);
    environmentOf(d.environmentId).edge.route(d.replicas.map((r) => r.url));
    d.status = 'SUCCESS';
    if (previous) {
      previous.status = 'REMOVED';
      // Draining: requests in flight on the old replicas finish first.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await Promise.all(previous.replicas.map((r) => r.stop()));
    }
  }

  function deploy(environmentId: string, from: Settings, vars: Record<string, string>): string {
    const d: Deployment = {
      id: randomUUID(),
      environmentId,
      status: 'INITIALIZING',
      createdAt: new Date().toISOString(),
      settings: structuredClone(from),
      variables: { ...vars },
      replicas: [],
    };
    deployments.unshift(d);
    const work = run(d).finally(() => working.delete(work));
    working.add(work);
    return d.id;
  }

  // A live deployment whose replicas have all stopped has crashed: the edge has nothing to send to.
  const watch = setInterval(() => {
    for (const [environmentId, environment] of environments) {
      const current = live(environmentId);
      if (!current) continue;
      void Promise.all(current.replicas.map((r) => r.running())).then((states) => {
        if (current.status === 'SUCCESS' && states.every((running) => !running)) {
          current.status = 'CRASHED';
          current.reason = 'every replica exited';
          environment.edge.route([]);
        }
      });
    }
  }, 2_000);

  const rootValue = {
    deployment: ({ id }: { id: string }) => view(find(id)),
    deployments: ({
      first,
      input,
    }: {
      first?: number;
      input: {
        serviceId?: string;
        environmentId?: string;
        status?: { in?: Status[]; notIn?: Status[] };
      };
    }) => {
      if (input.serviceId) checkIds(input.serviceId, input.environmentId);
      const wanted = deployments.filter(
        (d) =>
          (!input.environmentId || d.environmentId === input.environmentId) &&
          (!input.status?.in || input.status.in.includes(d.status)) &&
          (!input.status?.notIn || !input.status.notIn.includes(d.status)),
      );
      return { edges: wanted.slice(0, first ?? 20).map((d) => ({ node: view(d), cursor: d.id })) };
    },
    serviceInstance: ({ serviceId, environmentId }: { serviceId: string; environmentId: string }) => {
      checkIds(serviceId, environmentId);
      const environment = environmentOf(environmentId);
      const { settings } = environment;
      const latest = deployments.find((d) => d.environmentId === environmentId);
      return {
        id: `${serviceId}:${environmentId}`,
        serviceId,
        environmentId,
        source: settings.image ? { image: settings.image, repo: null } : null,
        domains: { serviceDomains: [{ domain: domainOf(environment) }], customDomains: [] },
        ...settings,
        latestDeployment: latest ? view(latest) : null,
      };
    },
    serviceInstanceUpdate: ({
      serviceId,
      environmentId,
      input,
    }: {
      serviceId: string;
      environmentId?: string;
      input: Settings & { source?: { image?: string } };
    }) => {
      checkIds(serviceId, environmentId);
      const { settings } = environmentOf(environmentId);
      const { source, ...rest } = input;
      if (source?.image !== undefined) settings.image = source.image;
      // GraphQL gives null for what the caller left out: only what was sent changes.
      for (const [key, value] of Object.entries(rest as Record<string, unknown>))
        if (value !== null && value !== undefined) Object.assign(settings, { [key]: value });
      return true;
    },
    serviceInstanceDeployV2: ({ serviceId, environmentId }: { serviceId: string; environmentId: string }) => {
      checkIds(serviceId, environmentId);
      const environment = environmentOf(environmentId);
      return deploy(environmentId, environment.settings, environment.variables);
    },
    deploymentRollback: ({ id }: { id: string }) => {
      const earlier = find(id);
      if (earlier.status === 'SUCCESS' || !earlier.pulled) return false;
      // The earlier deployment's image and variables become its environment's again.
      const environment = environmentOf(earlier.environmentId);
      Object.assign(environment.settings, earlier.settings);
      environment.variables = { ...earlier.variables };
      deploy(earlier.environmentId, earlier.settings, earlier.variables);
      return true;
    },
    variableCollectionUpsert: ({
      input,
    }: {
      input: { environmentId: string; variables: Record<string, string>; replace?: boolean };
    }) => {
      const environment = environmentOf(input.environmentId);
      environment.variables = input.replace
        ? { ...input.variables }
        : { ...environment.variables, ...input.variables };
      return true;
    },
  };

  const server: Server = createServer((request, reply) => {
    const send = (status: number, body: unknown) => {
      reply.writeHead(status, { 'content-type': 'application/json' });
      reply.end(JSON.stringify(body));
    };
    const authorized =
      request.headers.authorization === `Bearer ${token}` ||
      request.headers['project-access-token'] === token;
    if (request.method !== 'POST' || request.url !== '/graphql/v2') {
      send(404, { errors: [{ message: 'Not Found' }] });
      return;
    }
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      // Railway answers auth failures in the GraphQL body too.
      if (!authorized) {
        send(200, { data: null, errors: [{ message: 'Not Authorized' }] });
        return;
      }
      let body: { query?: string; variables?: Record<string, unknown> };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        send(400, { errors: [{ message: 'Invalid JSON body' }] });
        return;
      }
      void graphql({
        schema,
        source: body.query ?? '',
        rootValue,
        variableValues: body.variables ?? {},
      }).then((result) => {
        send(200, {
          data: result.data ?? null,
          ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message })) } : {}),
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const close = async () => {
    clearInterval(watch);
    await Promise.allSettled([...working]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    for (const environment of environments.values()) await environment.edge.close();
  };
  return {
    apiUrl: `http://127.0.0.1:${port}/graphql/v2`,
    token,
    ...ids,
    serviceUrl: environmentOf(ids.environmentId).edge.url,
    stagingServiceUrl: environmentOf(ids.stagingEnvironmentId).edge.url,
    setVariables: (next, environmentId = ids.environmentId) => {
      const environment = environmentOf(environmentId);
      environment.variables = { ...environment.variables, ...next };
    },
    misreportDigest: (digest) => {
      misreported = digest;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
