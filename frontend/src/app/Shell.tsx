import { Suspense, useState } from 'react';
import type { AuthUser } from '../api/index.ts';
import { AssistantPanel } from '../assistant/index.ts';
import { ReauthDialog, useSession } from '../auth/index.ts';
import { PendingDeletesProvider, TaskBoard, usePendingDeletes } from '../tasks/index.ts';
import { useToasts } from '../ui/index.ts';

/** The signed-in screen: header, task board, assistant. */
export function Shell({ user }: { user: AuthUser }) {
  return (
    <PendingDeletesProvider>
      <ShellLayout user={user} />
    </PendingDeletesProvider>
  );
}

function ShellLayout({ user }: { user: AuthUser }) {
  const session = useSession();
  const deletes = usePendingDeletes();
  const toasts = useToasts();
  const [assistantOpen, setAssistantOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    // Deletes still in their undo window are sent first: signing out keeps them.
    await deletes.flush();
    try {
      await session.signOut();
    } catch (error) {
      toasts.show({
        tone: 'error',
        message: `Signed out here, but the server did not answer: ${(error as Error).message}`,
      });
    }
  };

  return (
    <div className="shell">
      <title>Tasks · Todo</title>
      <a className="skip-link" href="#board-title">
        Skip to tasks
      </a>
      <header className="app-header">
        <span className="brand" aria-hidden="true">
          ✓ Todo
        </span>
        <span className="user" title={user.email}>
          {user.name}
        </span>
        <button
          type="button"
          className="assistant-toggle"
          aria-expanded={assistantOpen}
          aria-controls="assistant-panel"
          onClick={() => setAssistantOpen((open) => !open)}
        >
          Assistant
        </button>
        <button type="button" disabled={signingOut} onClick={() => void signOut()}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </header>
      <div className="layout">
        <main className="main">
          <TaskBoard />
        </main>
        <aside
          id="assistant-panel"
          className={`assistant-panel${assistantOpen ? ' open' : ''}`}
          aria-labelledby="assistant-title"
        >
          <Suspense fallback={<p role="status">Loading the assistant…</p>}>
            <AssistantPanel />
          </Suspense>
        </aside>
      </div>
      <ReauthDialog onSignOut={() => void signOut()} />
    </div>
  );
}
