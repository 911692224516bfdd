export { requestId } from './request-id.ts';
export { serializerCompiler } from './serializer.ts';
export { helmetHeaders, security } from './security.ts';
export { openapi } from './openapi.ts';
export { drainOnClose } from './graceful-close.ts';
export { createLogger, requestLog, redactPaths } from './logging.ts';
export { methodNotAllowed } from './method-not-allowed.ts';
