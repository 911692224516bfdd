import { z } from 'zod';
import type { errorCatalogue } from './catalogue.ts';

/** Every error answer's body, as sendError writes it (some codes add details, such as `current`). */
export const errorBody = z
  .looseObject({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });

type ErrorStatus = (typeof errorCatalogue)[keyof typeof errorCatalogue]['status'];

/**
 * The error answers a route documents, by status. Every route behind sign-in can
 * answer 400 (bad input), 401, 403 (a cookie without a trusted Origin), 429 and
 * 503 (the database is down); add what else it may say (404, 409, 413, 415, 422).
 */
export function errorResponses<S extends ErrorStatus>(
  ...statuses: S[]
): Record<400 | 401 | 403 | 429 | 503 | S, typeof errorBody> {
  const all = [400, 401, 403, 429, 503, ...statuses] as const;
  return Object.fromEntries(all.map((status) => [status, errorBody])) as Record<
    400 | 401 | 403 | 429 | 503 | S,
    typeof errorBody
  >;
}
