/**
 * Every error the API answers with, by stable code. Clients switch on `code`;
 * the message is for people. 5xx messages stay generic: details go to the log.
 */
export const errorCatalogue = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid; see fields.' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in to continue.' },
  FORBIDDEN_ORIGIN: {
    status: 403,
    message: 'This request needs an Origin header from a trusted origin (scripted clients: send Origin).',
  },
  FORBIDDEN_HOST: {
    status: 403,
    message: 'This endpoint does not answer to that Host header (see MCP_ALLOWED_HOSTS).',
  },
  NOT_FOUND: { status: 404, message: 'No such route.' },
  TASK_NOT_FOUND: { status: 404, message: 'Task not found.' },
  CONVERSATION_NOT_FOUND: { status: 404, message: 'Conversation not found.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This resource does not answer that method; see Allow.' },
  CHAT_TURN_IN_PROGRESS: {
    status: 409,
    message:
      'This message was received already and its reply is not ready (or was lost): retry shortly, or send it as a new message.',
  },
  VERSION_CONFLICT: { status: 409, message: 'The task was changed by someone else; reload it and retry.' },
  PRECONDITION_REQUIRED: {
    status: 428,
    message:
      'Send the version you last read (version in the body, or If-Match) so no other change is overwritten.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'This Idempotency-Key was already used with a different request body.',
  },
  CHAT_MESSAGE_ID_REUSED: {
    status: 422,
    message: 'This message id was already used for another message in this conversation.',
  },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down and retry later.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side; it has been logged.' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is unavailable; retry shortly.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Field name → what is wrong with it. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldErrors | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      fields?: FieldErrors;
      details?: Record<string, unknown>;
      cause?: unknown;
      /** Only for client errors passed through from the framework (BAD_REQUEST with a 4xx of its own). */
      status?: number;
    } = {},
  ) {
    super(options.message ?? errorCatalogue[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? errorCatalogue[code].status;
    this.fields = options.fields;
    this.details = options.details;
  }
}

export function validationError(fields: FieldErrors): AppError {
  return new AppError('VALIDATION_FAILED', { fields });
}
