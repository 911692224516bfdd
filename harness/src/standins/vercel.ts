// A stand-in for Vercel's REST API (files, deployments, promote, rollback, the
// project's production target, aliases) that really serves what it is given:
// each deployment's Build Output on a port of its own (a preview's own URL), the
// project's production domain on a stable port, pointing at whichever
// deployment is production, and a staging domain pointing at whichever
// deployment it was last aliased to.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadBuildOutput, type BuildOutput } from './build-output.ts';

type ReadyState = 'QUEUED' | 'BUILDING' | 'READY' | 'ERROR' | 'CANCELED';

interface Deployment {
  id: string;
  name: string;
  target: string | null;
  readyState: ReadyState;
  createdAt: number;
  url: string;
  output?: BuildOutput;
  server?: Server;
  errorMessage?: string;
}

export interface VercelStandIn extends AsyncDisposable {
  apiUrl: string;
  token: string;
  projectId: string;
  /** The project's production domain on 127.0.0.1. */
  productionUrl: string;
  /** The project's staging domain (host:port, as an alias names it) and its URL. */
  stagingDomain: string;
  stagingUrl: string;
  close(): Promise<void>;
}

const listen = async (server: Server, port = 0): Promise<number> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
};

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });

export async function startVercelStandIn(
  options: { port?: number; productionPort?: number } = {},
): Promise<VercelStandIn> {
  const token = `standin-${randomBytes(12).toString('hex')}`;
  const projectId = `prj_${randomBytes(10).toString('hex')}`;
  const store = await mkdtemp(join(tmpdir(), 'vercel-standin-'));
  const files = new Map<string, Buffer>();
  const deployments: Deployment[] = [];
  let production: Deployment | undefined;
  let staging: { deployment: Deployment; uid: string; created: string } | undefined;

  /** A domain of the project: serves whichever deployment it points at now. */
  const domain = async (pointsAt: () => Deployment | undefined, port?: number) => {
    const server = createServer((incoming, outgoing) => {
      const output = pointsAt()?.output;
      if (!output) {
        outgoing.writeHead(404, { 'content-type': 'text/plain' });
        outgoing.end('The deployment could not be found on Vercel. DEPLOYMENT_NOT_FOUND');
        return;
      }
      output.handle(incoming, outgoing);
    });
    return { server, host: `127.0.0.1:${await listen(server, port)}` };
  };
  const { server: productionServer, host: productionHost } = await domain(
    () => production,
    options.productionPort,
  );
  const { server: stagingServer, host: stagingHost } = await domain(() => staging?.deployment);

  const send = (reply: ServerResponse, status: number, body?: unknown) => {
    reply.writeHead(status, { 'content-type': 'application/json' });
    reply.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (
    reply: ServerResponse,
    status: number,
    code: string,
    message: string,
    extra: object = {},
  ) => {
    send(reply, status, { error: { code, message, ...extra } });
  };
  const view = (d: Deployment) => ({
    id: d.id,
    url: d.url,
    name: d.name,
    projectId,
    target: d.target,
    readyState: d.readyState,
    createdAt: d.createdAt,
    aliasAssigned: production?.id === d.id,
    inspectorUrl: `${d.url}/_inspect`,
    ...(d.errorMessage ? { errorMessage: d.errorMessage } : {}),
  });

  /** "Builds" a prebuilt deployment: writes its files out and serves them on a port of its own. */
  async function build(d: Deployment, list: { file: string; sha: string }[]) {
    d.readyState = 'BUILDING';
    try {
      const dir = join(store, d.id);
      for (const entry of list) {
        if (!entry.file.startsWith('.vercel/output/')) continue;
        const path = join(dir, entry.file.slice('.vercel/output/'.length));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, files.get(entry.sha) ?? Buffer.alloc(0));
      }
      d.output = await loadBuildOutput(dir);
      const output = d.output;
      d.server = createServer((incoming, outgoing) => {
        output.handle(incoming, outgoing);
      });
      d.url = `127.0.0.1:${await listen(d.server)}`;
      d.readyState = 'READY';
    } catch (failure) {
      d.readyState = 'ERROR';
      d.errorMessage = `the Build Output is not valid: ${(failure as Error).message}`;
    }
  }

  async function api(request: IncomingMessage, reply: ServerResponse) {
    if (request.headers.authorization !== `Bearer ${token}`) {
      error(reply, 403, 'forbidden', 'Not authorized');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://api');
    const body = await readBody(request);
    const route = `${request.method ?? ''} ${url.pathname}`;
    if (route === 'POST /v2/files') {
      const digest = String(request.headers['x-vercel-digest'] ?? request.headers['x-now-digest'] ?? '');
      const actual = createHash('sha1').update(body).digest('hex');
      if (digest !== actual) {
        error(reply, 400, 'invalid_sha', `the file's SHA-1 is ${actual}, not ${digest || '(none given)'}`);
        return;
      }
      files.set(actual, body);
      send(reply, 200, {});
      return;
    }
    if (route === 'POST /v13/deployments') {
      const input = JSON.parse(body.toString() || '{}') as {
        name?: string;
        project?: string;
        target?: string;
        files?: { file: string; sha: string; size: number }[];
      };
      if (!input.name) {
        error(reply, 400, 'bad_request', 'name is required');
        return;
      }
      if ((input.project ?? input.name) !== projectId) {
        error(reply, 404, 'not_found', `project ${input.project ?? input.name} not found`);
        return;
      }
      const list = input.files ?? [];
      const missing = [...new Set(list.filter((f) => !files.has(f.sha)).map((f) => f.sha))];
      if (missing.length) {
        error(reply, 400, 'missing_files', 'Missing files', { missing });
        return;
      }
      const d: Deployment = {
        id: `dpl_${randomBytes(12).toString('hex')}`,
        name: input.name,
        target: input.target ?? null,
        readyState: 'QUEUED',
        createdAt: Date.now(),
        url: '',
      };
      deployments.unshift(d);
      void build(d, list);
      send(reply, 200, view(d));
      return;
    }
    let match = /^GET \/v13\/deployments\/([^/]+)$/.exec(route);
    if (match) {
      const d = deployments.find((x) => x.id === match?.[1] || x.url === match?.[1]);
      if (d) send(reply, 200, view(d));
      else error(reply, 404, 'not_found', 'Deployment not found');
      return;
    }
    match =
      /^POST \/v(?:10\/projects\/([^/]+)\/promote|1\/projects\/([^/]+)\/rollback|9\/projects\/([^/]+)\/rollback)\/([^/]+)$/.exec(
        route,
      );
    if (match) {
      const project = match[1] ?? match[2] ?? match[3];
      const d = deployments.find((x) => x.id === match?.[4]);
      if (project !== projectId) error(reply, 404, 'not_found', 'Project not found');
      else if (!d) error(reply, 404, 'not_found', 'Deployment not found');
      else if (d.readyState !== 'READY')
        error(reply, 400, 'not_ready', `deployment ${d.id} is ${d.readyState}`);
      else if (d.target !== 'production')
        error(reply, 400, 'not_production', `deployment ${d.id} was not built for production`);
      else {
        production = d;
        send(reply, 201);
      }
      return;
    }
    match = /^POST \/v2\/deployments\/([^/]+)\/aliases$/.exec(route);
    if (match) {
      const d = deployments.find((x) => x.id === match?.[1] || x.url === match?.[1]);
      const { alias } = JSON.parse(body.toString() || '{}') as { alias?: string };
      if (!d) error(reply, 404, 'not_found', 'Deployment not found');
      else if (d.readyState !== 'READY')
        error(reply, 400, 'not_ready', `deployment ${d.id} is ${d.readyState}`);
      else if (alias === productionHost)
        error(reply, 400, 'production_domain', 'the stand-in moves production only by promote or rollback');
      else if (alias !== stagingHost)
        error(reply, 404, 'not_found', `the domain ${alias ?? '(none given)'} is not the project's`);
      else {
        const old = staging?.deployment.id;
        staging = {
          deployment: d,
          uid: `alias_${randomBytes(8).toString('hex')}`,
          created: new Date().toISOString(),
        };
        send(reply, 200, { uid: staging.uid, alias, created: staging.created, oldDeploymentId: old ?? null });
      }
      return;
    }
    match = /^GET \/v4\/aliases\/([^/]+)$/.exec(route);
    if (match) {
      const alias = decodeURIComponent(match[1] ?? '');
      const to =
        alias === stagingHost
          ? staging
          : alias === productionHost && production
            ? { deployment: production, uid: 'alias_production', created: '' }
            : undefined;
      if (!to) error(reply, 404, 'not_found', 'Alias not found');
      else
        send(reply, 200, {
          uid: to.uid,
          alias,
          created: to.created,
          deploymentId: to.deployment.id,
          projectId,
        });
      return;
    }
    match = /^GET \/v9\/projects\/([^/]+)$/.exec(route);
    if (match) {
      if (match[1] !== projectId) {
        error(reply, 404, 'not_found', 'Project not found');
        return;
      }
      send(reply, 200, {
        id: projectId,
        name: projectId,
        targets: production ? { production: { ...view(production), alias: [productionHost] } } : {},
        latestDeployments: deployments.slice(0, 5).map(view),
      });
      return;
    }
    error(reply, 404, 'not_found', `${route} is not part of this stand-in`);
  }

  const server = createServer((request, reply) => {
    api(request, reply).catch((failure: unknown) => {
      error(reply, 500, 'internal', (failure as Error).message);
    });
  });
  const port = await listen(server, options.port);
  const close = async () => {
    for (const s of [
      server,
      productionServer,
      stagingServer,
      ...deployments.flatMap((d) => (d.server ? [d.server] : [])),
    ]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await rm(store, { recursive: true, force: true });
  };
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    token,
    projectId,
    productionUrl: `http://${productionHost}`,
    stagingDomain: stagingHost,
    stagingUrl: `http://${stagingHost}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}
