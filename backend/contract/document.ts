import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';

export type OpenApiDocument = ReturnType<FastifyInstance['swagger']>;

/**
 * The document GET /api/openapi.json serves, from the real app built but never
 * listening. The pools connect on their first query and nothing here queries, and
 * without REDIS_URL the app runs without Redis, so no database needs to be up.
 * The environment is fixed here, not read, so every machine writes the same document.
 */
export async function readOpenApiDocument(): Promise<OpenApiDocument> {
  const app = await buildApp(
    loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://contract@127.0.0.1:9/never-connected',
      PUBLIC_URL: 'http://localhost:3000',
      AUTH_SECRET: 'only-builds-the-document-and-signs-nothing',
    }),
  );
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}
