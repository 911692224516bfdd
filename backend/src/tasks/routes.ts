import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../auth/index.ts';
import { AppError, errorResponses } from '../errors/index.ts';
import {
  createTaskInput,
  listTasksQuery,
  task,
  taskId,
  taskPage,
  updateTaskInput,
  type Task,
} from './schema.ts';
import type { TaskService } from './service.ts';

const idParams = z.strictObject({ id: taskId });

/** If-Match carries a task version, as the ETag we send: "3" (W/"3" and 3 accepted). */
const ifMatch = z
  .string()
  .regex(/^(W\/)?"?\d{1,9}"?$/, { error: 'must be a task version such as "3"' })
  .transform((value) => Number(value.replace(/\D/g, '')));
const versionHeaders = z.looseObject({ 'if-match': ifMatch.optional() });
const createHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1-200 visible ASCII characters' })
    .optional(),
});

// What each kind of route may answer besides its success (see errorResponses).
const readErrors = errorResponses(404);
const writeErrors = errorResponses(404, 409);
const bodyErrors = errorResponses(404, 409, 413, 415, 428);
const tags = ['tasks'];

/** The If-Match version after validation (the header schema turned it into a number). */
function ifMatchOf(request: FastifyRequest): number | undefined {
  return (request.headers as { 'if-match'?: number })['if-match'];
}

function withEtag(reply: FastifyReply, value: Task): Task {
  void reply.header('etag', `"${value.version}"`);
  return value;
}

export interface TaskRoutesOptions {
  tasks: TaskService;
  /** Signs the user in (401 otherwise); runs before the per-user rate limit. */
  requireUser: preHandlerAsyncHookHandler;
}

export function taskRoutes(app: FastifyInstance, { tasks, requireUser }: TaskRoutesOptions): void {
  app.register(async (scope) => {
    scope.addHook('preHandler', requireUser);
    const routes = scope.withTypeProvider<ZodTypeProvider>();
    const ctx = (request: Parameters<typeof userOf>[0]) => ({ userId: userOf(request).id });

    routes.post(
      '/api/tasks',
      {
        schema: {
          tags,
          summary: 'Create a task',
          description: 'With an Idempotency-Key header, retries return the first result and create nothing.',
          headers: createHeaders,
          body: createTaskInput,
          response: { 201: task, ...errorResponses(413, 415, 422) },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const { task: created, replayed } = await tasks.create(
          ctx(request),
          request.body,
          key ? { idempotencyKey: key } : {},
        );
        if (replayed) void reply.header('idempotent-replayed', 'true');
        void reply.code(201).header('location', `/api/tasks/${created.id}`);
        return withEtag(reply, created);
      },
    );

    routes.get(
      '/api/tasks',
      {
        schema: {
          tags,
          summary: 'List tasks',
          querystring: listTasksQuery,
          response: { 200: taskPage, ...errorResponses() },
        },
      },
      async (request) => tasks.list(ctx(request), request.query),
    );

    routes.get(
      '/api/tasks/:id',
      { schema: { tags, summary: 'Get a task', params: idParams, response: { 200: task, ...readErrors } } },
      async (request, reply) => withEtag(reply, await tasks.get(ctx(request), request.params.id)),
    );

    routes.patch(
      '/api/tasks/:id',
      {
        schema: {
          tags,
          summary: 'Change a task',
          description:
            'Send the version you last read, in the body or as If-Match: without either it answers 428; ' +
            'a stale version answers 409 (and so do two different versions: one of them is stale).',
          params: idParams,
          headers: versionHeaders,
          body: updateTaskInput,
          response: { 200: task, ...bodyErrors },
        },
      },
      async (request, reply) => {
        const { version: bodyVersion, ...changes } = request.body;
        const headerVersion = ifMatchOf(request);
        // Two versions that differ cannot both be the current one.
        if (bodyVersion !== undefined && headerVersion !== undefined && bodyVersion !== headerVersion) {
          throw new AppError('VERSION_CONFLICT', {
            message: 'The body and If-Match name different versions; send the one you last read.',
          });
        }
        const version = bodyVersion ?? headerVersion;
        // RFC 6585: an edit must be conditional, or it could overwrite a change it never saw.
        if (version === undefined) {
          throw new AppError('PRECONDITION_REQUIRED', {
            fields: { version: 'is required: send the version you last read, in the body or as If-Match' },
          });
        }
        return withEtag(reply, await tasks.update(ctx(request), request.params.id, changes, version));
      },
    );

    for (const [action, status] of [
      ['complete', 'done'],
      ['reopen', 'open'],
    ] as const) {
      routes.post(
        `/api/tasks/:id/${action}`,
        {
          schema: {
            tags,
            summary: action === 'complete' ? 'Mark a task done' : 'Reopen a task',
            description: 'If-Match is optional here; completing a done task changes nothing.',
            params: idParams,
            headers: versionHeaders,
            response: { 200: task, ...writeErrors },
          },
        },
        async (request, reply) =>
          withEtag(reply, await tasks.setStatus(ctx(request), request.params.id, status, ifMatchOf(request))),
      );
    }

    routes.delete(
      '/api/tasks/:id',
      {
        schema: {
          tags,
          summary: 'Delete a task',
          params: idParams,
          headers: versionHeaders,
          response: { 204: z.null().describe('Deleted'), ...writeErrors },
        },
      },
      async (request, reply) => {
        await tasks.remove(ctx(request), request.params.id, ifMatchOf(request));
        return reply.code(204).send(null);
      },
    );
  });
}
