export { AppError, errorCatalogue, validationError, type ErrorCode, type FieldErrors } from './catalogue.ts';
export { isDatabaseUnavailable } from './database.ts';
export { fieldErrorsFromIssues } from './fields.ts';
export { installErrorHandlers, sendError, toAppError } from './handler.ts';
export { errorBody, errorResponses } from './responses.ts';
