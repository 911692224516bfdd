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

export interface Toast {
  id: string;
  message: string;
  tone?: 'info' | 'error';
  /** One action button, e.g. Undo; `name` tells it apart from others' (“Undo deleting “buy milk””). */
  action?: { label: string; name?: string; run: () => void };
  /** Milliseconds before it goes away by itself; 0 keeps it until dismissed. Paused while pointed at or focused. */
  durationMs?: number;
  /** Called when it goes away other than by its action: timed out, dismissed, or pushed out by newer ones. */
  onExpire?: () => void;
}

interface Toasts {
  show: (toast: Omit<Toast, 'id'> & { id?: string }) => string;
  dismiss: (id: string) => void;
}

interface Clock {
  timer: ReturnType<typeof setTimeout> | undefined;
  remainingMs: number;
  startedAt: number;
}

const ToastContext = createContext<Toasts | null>(null);
const maxShown = 4;
let counter = 0;

/** Short messages at the bottom of the screen, announced to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const live = useRef(new Map<string, Toast>());
  const clocks = useRef(new Map<string, Clock>());

  const remove = useCallback((id: string, expired: boolean) => {
    const toast = live.current.get(id);
    if (!toast) return;
    live.current.delete(id);
    clearTimeout(clocks.current.get(id)?.timer);
    clocks.current.delete(id);
    setToasts([...live.current.values()]);
    if (expired) toast.onExpire?.();
  }, []);

  const start = useCallback(
    (id: string, ms: number) => {
      clocks.current.set(id, {
        timer: setTimeout(() => remove(id, true), ms),
        remainingMs: ms,
        startedAt: Date.now(),
      });
    },
    [remove],
  );

  const show = useCallback(
    (toast: Omit<Toast, 'id'> & { id?: string }) => {
      const id = toast.id ?? `toast-${++counter}`;
      if (live.current.has(id)) remove(id, false);
      live.current.set(id, { ...toast, id });
      // Too many at once: the oldest go, as if their time were up.
      for (const old of [...live.current.keys()].slice(0, Math.max(0, live.current.size - maxShown)))
        remove(old, true);
      setToasts([...live.current.values()]);
      const duration = toast.durationMs ?? (toast.tone === 'error' ? 8000 : 5000);
      if (duration > 0) start(id, duration);
      return id;
    },
    [remove, start],
  );

  const dismiss = useCallback((id: string) => remove(id, true), [remove]);
  const runAction = useCallback(
    (toast: Toast) => {
      remove(toast.id, false);
      toast.action?.run();
    },
    [remove],
  );
  const pause = useCallback((id: string) => {
    const clock = clocks.current.get(id);
    if (!clock?.timer) return;
    clearTimeout(clock.timer);
    clocks.current.set(id, {
      timer: undefined,
      remainingMs: clock.remainingMs - (Date.now() - clock.startedAt),
      startedAt: 0,
    });
  }, []);
  const resume = useCallback(
    (id: string) => {
      const clock = clocks.current.get(id);
      if (clock && !clock.timer) start(id, Math.max(1000, clock.remainingMs));
    },
    [start],
  );

  useEffect(() => {
    const pending = clocks.current;
    return () => {
      for (const clock of pending.values()) clearTimeout(clock.timer);
    };
  }, []);

  const value = useMemo(() => ({ show, dismiss }), [show, dismiss]);
  const view = (toast: Toast) => (
    <div
      key={toast.id}
      className={`toast toast-${toast.tone ?? 'info'}`}
      onMouseEnter={() => pause(toast.id)}
      onMouseLeave={() => resume(toast.id)}
      onFocus={() => pause(toast.id)}
      onBlur={() => resume(toast.id)}
    >
      <span>{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="link-button"
          aria-label={toast.action.name}
          onClick={() => runAction(toast)}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
  return (
    <ToastContext value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications">
        <div aria-live="polite">{toasts.filter((toast) => toast.tone !== 'error').map(view)}</div>
        <div aria-live="assertive">{toasts.filter((toast) => toast.tone === 'error').map(view)}</div>
      </div>
    </ToastContext>
  );
}

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts must be used inside <ToastProvider>');
  return toasts;
}
