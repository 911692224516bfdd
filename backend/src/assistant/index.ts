export { createAssistant, type Assistant } from './chat.ts';
export { createModel, providerBaseUrls, type AssistantModel } from './provider.ts';
export { assistantRoutes } from './routes.ts';
export { OfflineRulesModel } from './offline/model.ts';
