// A stand-in for Render's REST API for one image-backed web service: deploys
// (created → pre_deploy_in_progress → update_in_progress → live |
// pre_deploy_failed | update_failed; the one before becomes deactivated),
// rollback to an earlier deploy, and the service's URL: an edge on 127.0.0.1
// that switches to a deploy once every instance answers its health check.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bringUp, digestOf } from './deployer.ts';
import { startEdge } from './edge.ts';
import type { Replica, Runtime } from './runtime.ts';

type Status =
  | 'created'
  | 'pre_deploy_in_progress'
  | 'update_in_progress'
  | 'live'
  | 'deactivated'
  | 'update_failed'
  | 'pre_deploy_failed';

interface Deploy {
  id: string;
  status: Status;
  trigger: 'api' | 'rollback';
  createdAt: string;
  finishedAt?: string;
  imageRef: string;
  pulled?: string;
  replicas: Replica[];
  reason?: string;
}

export interface RenderStandIn extends AsyncDisposable {
  apiUrl: string;
  apiKey: string;
  serviceId: string;
  serviceUrl: string;
  setVariables(variables: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startRenderStandIn(options: {
  runtime: Runtime;
  /** The service's settings, as its blueprint gives them. */
  preDeployCommand?: string;
  healthCheckPath: string;
  numInstances: number;
  /** Repository the service is set up with: a deploy may change only the tag or digest. */
  imageRepository: string;
}): Promise<RenderStandIn> {
  const apiKey = `rnd_${randomBytes(12).toString('hex')}`;
  const serviceId = `srv-${randomBytes(8).toString('hex')}`;
  const edge = await startEdge({ name: 'render' });
  let variables: Record<string, string> = {};
  const deploys: Deploy[] = [];
  const working = new Set<Promise<void>>();

  const view = (d: Deploy) => ({
    id: d.id,
    status: d.status,
    trigger: d.trigger,
    createdAt: d.createdAt,
    updatedAt: d.finishedAt ?? d.createdAt,
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    image: { ref: d.imageRef, ...(d.pulled ? { sha: digestOf(d.pulled) } : {}) },
  });

  async function run(d: Deploy) {
    d.status = options.preDeployCommand ? 'pre_deploy_in_progress' : 'update_in_progress';
    const outcome = await bringUp(options.runtime, {
      image: d.imageRef,
      env: { ...variables, PORT: variables.PORT ?? '10000' },
      preDeploy: options.preDeployCommand ? [options.preDeployCommand] : [],
      replicas: options.numInstances,
      healthPath: options.healthCheckPath,
      healthTimeoutSeconds: 120,
      label: `render-${d.id.slice(4, 12)}`,
    });
    if (outcome.pulled) d.pulled = outcome.pulled;
    d.finishedAt = new Date().toISOString();
    if (outcome.state !== 'live') {
      d.status = outcome.state === 'pre_deploy_failed' ? 'pre_deploy_failed' : 'update_failed';
      d.reason = outcome.reason;
      return;
    }
    d.replicas = outcome.replicas;
    const previous = deploys.find((x) => x.status === 'live');
    edge.route(d.replicas.map((r) => r.url));
    d.status = 'live';
    if (previous) {
      previous.status = 'deactivated';
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await Promise.all(previous.replicas.map((r) => r.stop()));
    }
  }

  const start = (imageRef: string, trigger: Deploy['trigger']): Deploy => {
    const d: Deploy = {
      id: `dep-${randomBytes(10).toString('hex')}`,
      status: 'created',
      trigger,
      createdAt: new Date().toISOString(),
      imageRef,
      replicas: [],
    };
    deploys.unshift(d);
    const work = run(d).finally(() => working.delete(work));
    working.add(work);
    return d;
  };

  const body = (request: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        try {
          resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
        } catch {
          resolve({});
        }
      });
    });
  const send = (reply: ServerResponse, status: number, value: unknown) => {
    reply.writeHead(status, { 'content-type': 'application/json' });
    reply.end(JSON.stringify(value));
  };

  const server = createServer((request, reply) => {
    void (async () => {
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        send(reply, 401, { id: 'unauthorized', message: 'Unauthorized' });
        return;
      }
      const url = new URL(request.url ?? '/', 'http://api');
      const path = url.pathname.replace(/^\/v1/, '');
      const route = `${request.method ?? ''} ${path}`;
      if (!path.startsWith(`/services/${serviceId}`)) {
        send(reply, 404, { id: 'not_found', message: 'service not found' });
        return;
      }
      if (route === `GET /services/${serviceId}`) {
        send(reply, 200, {
          id: serviceId,
          name: 'todo-backend',
          type: 'web_service',
          imagePath: options.imageRepository,
          serviceDetails: {
            url: edge.url,
            healthCheckPath: options.healthCheckPath,
            numInstances: options.numInstances,
            runtime: 'image',
          },
        });
      } else if (route === `POST /services/${serviceId}/deploys`) {
        const input = await body(request);
        const imageUrl = typeof input.imageUrl === 'string' ? input.imageUrl : '';
        const repository = imageUrl.replace(/(@sha256:[0-9a-f]{64}|:[^/:@]+)$/, '');
        if (repository !== options.imageRepository) {
          send(reply, 400, {
            id: 'invalid_image',
            message: `imageUrl must be ${options.imageRepository} with another tag or digest`,
          });
          return;
        }
        send(reply, 201, view(start(imageUrl, 'api')));
      } else if (route === `GET /services/${serviceId}/deploys`) {
        const status = url.searchParams.get('status');
        const limit = Number(url.searchParams.get('limit') ?? 20);
        const list = deploys.filter((d) => !status || status.split(',').includes(d.status)).slice(0, limit);
        send(
          reply,
          200,
          list.map((d) => ({ deploy: view(d), cursor: d.id })),
        );
      } else if (route.startsWith(`GET /services/${serviceId}/deploys/`)) {
        const d = deploys.find((x) => x.id === path.split('/').at(-1));
        if (d) send(reply, 200, view(d));
        else send(reply, 404, { id: 'not_found', message: 'deploy not found' });
      } else if (route === `POST /services/${serviceId}/rollback`) {
        const input = await body(request);
        const earlier = deploys.find((x) => x.id === input.deployId);
        if (!earlier?.pulled) send(reply, 404, { id: 'not_found', message: 'deploy not found or never ran' });
        else send(reply, 201, view(start(earlier.imageRef, 'rollback')));
      } else send(reply, 404, { id: 'not_found', message: `${route} is not part of this stand-in` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    await Promise.allSettled([...working]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await edge.close();
  };
  return {
    apiUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    serviceId,
    serviceUrl: edge.url,
    setVariables: (next) => {
      variables = { ...variables, ...next };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
