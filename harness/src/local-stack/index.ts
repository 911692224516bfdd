export { startLocalStack, type LocalStackOptions, type StartedLocalStack } from './local-stack.ts';
export { freePort } from './processes.ts';
