import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { memoryLocation } from 'wouter/memory-location';
import { App } from '../app/index.ts';
import { createServices } from '../services/index.ts';
import { FakeApi } from './fake-api.ts';

export interface Rendered extends RenderResult {
  api: FakeApi;
  queryClient: QueryClient;
  location: ReturnType<typeof memoryLocation>;
}

/** The whole app over the fake API, at a path. */
export function renderApp(options: { api?: FakeApi; path?: string } = {}): Rendered {
  const api = options.api ?? new FakeApi({ signedInAs: 'test@example.com' });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const location = memoryLocation({ path: options.path ?? '/', record: true });
  const services = createServices({ fetch: api.fetch, origin: 'http://localhost:3000' });
  const result = render(
    <App
      services={services}
      queryClient={queryClient}
      location={{ hook: location.hook, searchHook: location.searchHook }}
    />,
  );
  return { ...result, api, queryClient, location };
}
