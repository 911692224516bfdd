import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from './catalogue.ts';
import { isDatabaseUnavailable, isUnstorableText } from './database.ts';
import { fieldErrorsFromIssues } from './fields.ts';

const fastifyCodes: Partial<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Maps anything thrown in a route to one of the catalogue's answers. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const issues = error.validation.map((v) => ({
      path: v.instancePath.split('/').filter(Boolean),
      message: v.message ?? 'is invalid',
      code: v.keyword,
      keys: (v.params as { keys?: string[] }).keys,
    }));
    return new AppError('VALIDATION_FAILED', { fields: fieldErrorsFromIssues(issues, context) });
  }
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, { cause: error });
  if (fastifyError.statusCode === 429) return new AppError('RATE_LIMITED', { cause: error });
  if (isDatabaseUnavailable(error)) return new AppError('DATABASE_UNAVAILABLE', { cause: error });
  if (isUnstorableText(error)) {
    return new AppError('BAD_REQUEST', {
      message: 'The request holds text that cannot be stored (a NUL character, U+0000?).',
      cause: error,
    });
  }
  // Any other client error the framework raised keeps its status and says what it is.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500 && fastifyError.message) {
    return new AppError('BAD_REQUEST', { status, message: fastifyError.message, cause: error });
  }
  return new AppError('INTERNAL', { cause: error });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What made this request fail with a 5xx; the request log line carries it. */
    failure: unknown;
  }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.status >= 500) request.failure = error.cause ?? error;
  if (error.code === 'DATABASE_UNAVAILABLE') void reply.header('retry-after', '5');
  return reply.code(error.status).send({
    code: error.code,
    message: error.message,
    ...(error.fields ? { fields: error.fields } : {}),
    ...error.details,
    requestId: request.id,
  });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.decorateRequest('failure', null);
  app.setErrorHandler((error, request, reply) => sendError(request, reply, toAppError(error)));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError('NOT_FOUND', {
        message: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`,
      }),
    ),
  );
}
