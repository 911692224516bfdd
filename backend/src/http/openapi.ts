import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * How a request is signed in. The session cookie's name depends on whether
 * PUBLIC_URL is https (better-auth then uses, and we read, only the __Secure- one).
 */
const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'todo.session_token',
    description: 'The session cookie when the API is served over http (development, tests).',
  },
  secureSession: {
    type: 'apiKey',
    in: 'cookie',
    name: '__Secure-todo.session_token',
    description: 'The session cookie when the API is served over https (production).',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      "The sign-in answer's `set-auth-token` header: the same session, for clients without cookies.",
  },
} as const;

/** Collects every route's zod schemas into an OpenAPI document served at /api/openapi.json. Register before routes. */
export async function openapi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Todo API',
        version,
        description:
          'Tasks of the signed-in user, and the assistant. Sign up or sign in through better-auth under /api/auth ' +
          '(POST /api/auth/sign-up/email, POST /api/auth/sign-in/email with `{ email, password }`, ' +
          'POST /api/auth/sign-out). A sign-in sets the session cookie and answers with the same session as a ' +
          'bearer token in its `set-auth-token` header, for clients that keep no cookies. ' +
          'Cookie-authenticated requests that change state must send an Origin header from a trusted origin.',
      },
      components: { securitySchemes },
      // Any one of them: the cookie a browser keeps (named by whether the API is served over https), or the token.
      security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );
}
