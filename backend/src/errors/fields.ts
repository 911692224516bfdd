import type { FieldErrors } from './catalogue.ts';

/** The parts of a zod issue that say which field is wrong and why. */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
}

/**
 * Turns zod issues into `{ field: message }`. Unknown keys are named one by one;
 * an issue on the whole object is reported under `fallback` (e.g. "body").
 */
export function fieldErrorsFromIssues(issues: readonly IssueLike[], fallback = 'body'): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
      for (const key of issue.keys) fields[prefix + key] ??= 'is not a known field';
      continue;
    }
    const name = issue.path.length > 0 ? issue.path.map(String).join('.') : fallback;
    fields[name] ??= issue.message;
  }
  return fields;
}
