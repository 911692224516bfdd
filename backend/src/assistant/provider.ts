import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { Config } from '../config/index.ts';
import { OfflineRulesModel } from './offline/model.ts';

/** Where each preset provider serves its OpenAI-compatible API. */
export const providerBaseUrls = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta/openai',
  ollama: 'http://localhost:11434/v1',
} as const;

export interface AssistantModel {
  model: LanguageModelV4;
  /** For logs and errors: which provider, never the key. */
  label: string;
}

export function createModel(config: Config): AssistantModel {
  if (config.ASSISTANT_MODE === 'offline')
    return { model: new OfflineRulesModel(), label: 'offline rules model' };
  const provider = config.ASSISTANT_PROVIDER;
  const baseURL =
    config.ASSISTANT_BASE_URL ?? (provider === 'custom' ? undefined : providerBaseUrls[provider]);
  if (!baseURL || !config.ASSISTANT_MODEL)
    throw new Error('ASSISTANT_BASE_URL and ASSISTANT_MODEL are required');
  const openaiCompatible = createOpenAICompatible({
    name: provider,
    baseURL,
    ...(config.ASSISTANT_API_KEY ? { apiKey: config.ASSISTANT_API_KEY } : {}),
    includeUsage: true,
  });
  return {
    model: openaiCompatible.chatModel(config.ASSISTANT_MODEL),
    label: `${provider} (${config.ASSISTANT_MODEL})`,
  };
}
