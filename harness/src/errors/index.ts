export { RunFailure } from './run-failure.ts';
export { UsageError } from './usage-error.ts';
