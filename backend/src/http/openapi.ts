import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** Collects every route's zod schemas into an OpenAPI document served at /api/openapi.json. Register before routes. */
export async function openapi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Todo API',
        version,
        description:
          'Tasks of the signed-in user. Sign in through /api/auth/sign-in/email (better-auth); the session cookie authenticates every other call. ' +
          'Cookie-authenticated requests that change state must send an Origin header from a trusted origin.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'todo.session_token' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );
}
