import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Redirect, Route, Router, Switch, useLocation, type RouterProps } from 'wouter';
import { SessionProvider, SignInPage, SignUpPage, useSession } from '../auth/index.ts';
import { ServicesProvider, type Services } from '../services/index.ts';
import { ToastProvider } from '../ui/index.ts';
import { Shell } from './Shell.tsx';

export interface AppProps {
  services: Services;
  queryClient: QueryClient;
  /** Location hooks for tests (wouter's memoryLocation); the browser's by default. */
  location?: Pick<RouterProps, 'hook' | 'searchHook'>;
}

export function App({ services, queryClient, location }: AppProps) {
  return (
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <ToastProvider>
            <Router {...location}>
              <Screens />
            </Router>
          </ToastProvider>
        </SessionProvider>
      </QueryClientProvider>
    </ServicesProvider>
  );
}

function Screens() {
  const { state, recheck } = useSession();
  const [path] = useLocation();

  if (state.status === 'loading') {
    return (
      <p className="splash" role="status">
        Loading…
      </p>
    );
  }
  if (state.status === 'unavailable') {
    return (
      <main className="auth-page">
        <title>Unavailable · Todo</title>
        <h1>Cannot reach the server</h1>
        <p role="alert">{state.message}</p>
        <button type="button" className="primary" onClick={recheck}>
          Try again
        </button>
      </main>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <Switch>
        <Route path="/sign-up">
          <title>Create account · Todo</title>
          <SignUpPage />
        </Route>
        <Route path="/sign-in">
          <title>Sign in · Todo</title>
          <SignInPage />
        </Route>
        <Route>
          <Redirect to="/sign-in" replace />
        </Route>
      </Switch>
    );
  }
  if (path === '/sign-in' || path === '/sign-up') return <Redirect to="/" replace />;
  return <Shell user={state.user} />;
}
