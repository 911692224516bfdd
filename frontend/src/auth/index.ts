export { AuthForm, checkLocally, type AuthValues } from './AuthForm.tsx';
export { SignInPage, SignUpPage } from './pages.tsx';
export { ReauthDialog } from './ReauthDialog.tsx';
export { SessionProvider, useSession, type Session, type SessionState } from './session.tsx';
