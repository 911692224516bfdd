import { useEffect, useRef } from 'react';
import { AuthForm } from './AuthForm.tsx';
import { useSession } from './session.tsx';

/**
 * Shown over the page when the session ends while signed in. The page stays
 * mounted underneath, so nothing typed there is lost; signing in closes it.
 * (Signing in as someone else replaces the page: the session clears the data.)
 * onSignOut is the page's own sign-out, so it can finish its work first.
 */
export function ReauthDialog({ onSignOut }: { onSignOut: () => void }) {
  const { state, signIn } = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const open = state.status === 'signed-in' && state.expired;
  const previousUser = state.status === 'signed-in' ? state.user : undefined;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    // showModal makes the rest of the page inert; jsdom lacks it, so fall back to the attribute.
    if (open && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    if (!open && element.open) {
      if (typeof element.close === 'function') element.close();
      else element.removeAttribute('open');
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="reauth"
      aria-labelledby="reauth-title"
      // Escape must not close it: the only ways out are signing in or signing out.
      onCancel={(event) => event.preventDefault()}
    >
      {open && (
        <>
          <h2 id="reauth-title">Your session has ended</h2>
          <p>Sign in again to carry on. What you typed is kept.</p>
          <AuthForm
            fields={['email', 'password']}
            submitLabel="Sign in"
            busyLabel="Signing in…"
            initial={{ email: previousUser?.email ?? '' }}
            onSubmit={(values) => signIn(values)}
          />
          <button type="button" className="link-button" onClick={onSignOut}>
            Sign out instead
          </button>
        </>
      )}
    </dialog>
  );
}
