import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { AuthUser } from '../api/index.ts';
import { useServices } from '../services/index.ts';

export type SessionState =
  | { status: 'loading' }
  /** The server could not tell (network down, 5xx): not the same as signed out. */
  | { status: 'unavailable'; message: string }
  | { status: 'signed-out' }
  /** `expired`: the API answered 401 while signed in; the screen stays, a sign-in dialog opens over it. */
  | { status: 'signed-in'; user: AuthUser; expired: boolean };

export interface Session {
  state: SessionState;
  signIn: (input: { email: string; password: string }) => Promise<AuthUser>;
  signUp: (input: { name: string; email: string; password: string }) => Promise<AuthUser>;
  signOut: () => Promise<void>;
  /** Ask the server again (after `unavailable`). */
  recheck: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { auth, onSessionEnded } = useServices();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const queryClient = useQueryClient();
  // Whose data the cache holds. Another user, or nobody, must never see it.
  const cachedFor = useRef<string | null>(null);
  // When the current session began: a 401 to a request sent before it (with the
  // old cookie, or none) says nothing about this session.
  const sessionSince = useRef(0);
  const becomes = useCallback(
    (user: AuthUser | null) => {
      if (cachedFor.current !== (user?.id ?? null)) queryClient.clear();
      else if (user) void queryClient.invalidateQueries(); // back after an expiry: catch up
      cachedFor.current = user?.id ?? null;
    },
    [queryClient],
  );

  useEffect(() => {
    let current = true;
    auth.currentUser().then(
      (user) => {
        if (current)
          setState(user ? { status: 'signed-in', user, expired: false } : { status: 'signed-out' });
      },
      (error: unknown) => {
        if (current) setState({ status: 'unavailable', message: (error as Error).message });
      },
    );
    return () => {
      current = false;
    };
  }, [auth, attempt, becomes]);

  useEffect(
    () =>
      onSessionEnded((sentAt) => {
        if (sentAt < sessionSince.current) return;
        setState((previous) => (previous.status === 'signed-in' ? { ...previous, expired: true } : previous));
      }),
    [onSessionEnded],
  );

  const signIn = useCallback(
    async (input: { email: string; password: string }) => {
      const user = await auth.signIn(input);
      sessionSince.current = performance.now();
      becomes(user);
      setState({ status: 'signed-in', user, expired: false });
      return user;
    },
    [auth, becomes],
  );
  const signUp = useCallback(
    async (input: { name: string; email: string; password: string }) => {
      const user = await auth.signUp(input);
      sessionSince.current = performance.now();
      becomes(user);
      setState({ status: 'signed-in', user, expired: false });
      return user;
    },
    [auth, becomes],
  );
  const signOut = useCallback(async () => {
    try {
      await auth.signOut();
    } finally {
      // Signed out here even if the server could not be told: the cookie is the server's to expire.
      becomes(null);
      setState({ status: 'signed-out' });
    }
  }, [auth, becomes]);
  const recheck = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const session = useMemo(
    () => ({ state, signIn, signUp, signOut, recheck }),
    [state, signIn, signUp, signOut, recheck],
  );
  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
