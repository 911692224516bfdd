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
  /** One action button, e.g. Undo. */
  action?: { label: string; run: () => void };
  /** Milliseconds before it goes away by itself; 0 keeps it until dismissed. */
  durationMs?: number;
}

interface Toasts {
  show(toast: Omit<Toast, 'id'> & { id?: string }): string;
  dismiss(id: string): void;
}

const ToastContext = createContext<Toasts | null>(null);
let counter = 0;

/** Short messages at the bottom of the screen, announced to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((list) => list.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback(
    (toast: Omit<Toast, 'id'> & { id?: string }) => {
      const id = toast.id ?? `toast-${++counter}`;
      const full: Toast = { ...toast, id };
      setToasts((list) => [...list.filter((t) => t.id !== id), full].slice(-4));
      clearTimeout(timers.current.get(id));
      const duration = toast.durationMs ?? (toast.tone === 'error' ? 8000 : 5000);
      if (duration > 0)
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), duration),
        );
      return id;
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, []);

  const value = useMemo(() => ({ show, dismiss }), [show, dismiss]);
  return (
    <ToastContext value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications">
        <div aria-live="polite">
          {toasts
            .filter((toast) => toast.tone !== 'error')
            .map((toast) => (
              <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
            ))}
        </div>
        <div aria-live="assertive">
          {toasts
            .filter((toast) => toast.tone === 'error')
            .map((toast) => (
              <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
            ))}
        </div>
      </div>
    </ToastContext>
  );
}

function ToastView({ toast, dismiss }: { toast: Toast; dismiss: (id: string) => void }) {
  return (
    <div className={`toast toast-${toast.tone ?? 'info'}`}>
      <span>{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            toast.action?.run();
            dismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts must be used inside <ToastProvider>');
  return toasts;
}
