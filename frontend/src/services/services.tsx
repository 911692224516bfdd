import { createContext, useContext, type ReactNode } from 'react';
import {
  createApiClient,
  createAuthService,
  taskApi,
  type ApiClient,
  type AuthService,
  type TaskApi,
} from '../api/index.ts';

/** What the app talks to. Built once at start-up; tests build it over a fake fetch. */
export interface Services {
  api: ApiClient;
  tasks: TaskApi;
  auth: AuthService;
  /**
   * Subscribe to "the API answered 401": the session ended. The listener gets
   * when the refused request was sent. Returns the unsubscribe function.
   */
  onSessionEnded: (listener: (sentAt: number) => void) => () => void;
}

export function createServices(options: { fetch?: typeof fetch; origin?: string } = {}): Services {
  const listeners = new Set<(sentAt: number) => void>();
  const api = createApiClient({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onUnauthenticated: (sentAt) => {
      for (const listener of listeners) listener(sentAt);
    },
  });
  return {
    api,
    tasks: taskApi(api),
    auth: createAuthService(options),
    onSessionEnded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext value={services}>{children}</ServicesContext>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices must be used inside <ServicesProvider>');
  return services;
}
