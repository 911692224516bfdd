export {
  prepareTestcontainers,
  startLocalStack,
  type LocalStackOptions,
  type StartedLocalStack,
} from './local-stack.ts';
