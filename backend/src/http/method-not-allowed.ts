import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/index.ts';

interface Resource {
  path: RegExp;
  methods: Set<string>;
}

/** A route's URL as a pattern for request paths: `:id` is one segment, `*` the rest. */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? '[^/]+'
        : segment === '*'
          ? '.*'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A method no route has, on a path some route serves, answers 405 with Allow
 * (RFC 9110), not 404: the resource is there, the method is not. Registered
 * before the routes, whose methods it collects as they are added.
 */
export function methodNotAllowed(app: FastifyInstance): void {
  const resources: Resource[] = [];
  app.addHook('onRoute', (route) => {
    // CORS answers OPTIONS for every path; HEAD comes with GET.
    if (route.url === '*' || route.url === '/*') return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const existing = resources.find((resource) => resource.path.source === pathPattern(route.url).source);
    if (existing) for (const method of methods) existing.methods.add(method);
    else resources.push({ path: pathPattern(route.url), methods: new Set(methods) });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? '';
    const allowed = new Set(
      resources.filter((resource) => resource.path.test(path)).flatMap((resource) => [...resource.methods]),
    );
    if (allowed.size === 0) return;
    void reply.header('allow', [...allowed].sort().join(', '));
    throw new AppError('METHOD_NOT_ALLOWED', {
      message: `${request.method} is not allowed here; this resource answers ${[...allowed].sort().join(', ')}.`,
    });
  });
}
