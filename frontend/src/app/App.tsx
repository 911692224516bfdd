import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Redirect, Route, Router, Switch, useLocation, useSearch, type RouterProps } from 'wouter';
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

/** Where to go after signing in: a path of this app only (never another site). */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function Screens() {
  const { state, recheck } = useSession();
  const [path] = useLocation();
  const search = useSearch();

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
          {/* A deep link (filters included) survives signing in. */}
          <Redirect
            to={
              path === '/' && !search
                ? '/sign-in'
                : `/sign-in?next=${encodeURIComponent(path + (search ? `?${search}` : ''))}`
            }
            replace
          />
        </Route>
      </Switch>
    );
  }
  if (path === '/sign-in' || path === '/sign-up') return <Redirect to={nextPath(search)} replace />;
  // Keyed by user: nothing of one user's screen (a conversation, pending deletes) survives into another's.
  return <Shell key={state.user.id} user={state.user} />;
}
