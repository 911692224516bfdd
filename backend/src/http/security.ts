import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** A JSON API renders nothing: the CSP denies everything, framing included. */
const helmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
};

/**
 * The headers helmet sets for these options, computed once. They do not depend
 * on the request (no CSP nonces here), and rebuilding helmet's middleware per
 * request, as @fastify/helmet does, cost a quarter of the API's throughput.
 */
export function helmetHeaders(options: HelmetOptions = helmetOptions): Record<string, string> {
  // A detached request/response pair: helmet sets headers on it, nothing is sent.
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(options)(request, response, () => undefined);
  return Object.fromEntries(
    Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
  );
}

/**
 * Security headers on every answer, and CORS for the configured origins only.
 * The SPA calls the API same-origin, so CORS matters only for a frontend served
 * from another origin (e.g. the Vite dev server).
 */
export async function security(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const securityHeaders = helmetHeaders();
  await app.register(cors, {
    origin: [...origins],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'idempotency-key', 'if-match', 'authorization', 'x-request-id'],
    exposedHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'],
    maxAge: 600,
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeaders).header('x-request-id', request.id);
    done();
  });
}
