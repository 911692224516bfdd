// Values from chat.ts and provider.ts are not re-exported: they load with the first turn (lazy.ts).
export type { Assistant } from './chat.ts';
export { lazyAssistant } from './lazy.ts';
export type { AssistantModel } from './provider.ts';
export { assistantRoutes } from './routes.ts';
