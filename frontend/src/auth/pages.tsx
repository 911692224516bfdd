import { Link, useSearch } from 'wouter';
import { AuthForm } from './AuthForm.tsx';
import { useSession } from './session.tsx';

export function SignInPage() {
  const { signIn } = useSession();
  const search = useSearch(); // ?next= goes along
  return (
    <main className="auth-page">
      <p className="brand auth-brand">
        <span aria-hidden="true">✓ </span>Todo
      </p>
      <h1>Sign in</h1>
      <AuthForm
        fields={['email', 'password']}
        submitLabel="Sign in"
        busyLabel="Signing in…"
        onSubmit={(values) => signIn(values)}
      />
      <p>
        New here? <Link href={`/sign-up${search ? `?${search}` : ''}`}>Create an account</Link>
      </p>
    </main>
  );
}

export function SignUpPage() {
  const { signUp } = useSession();
  const search = useSearch();
  return (
    <main className="auth-page">
      <p className="brand auth-brand">
        <span aria-hidden="true">✓ </span>Todo
      </p>
      <h1>Create your account</h1>
      <AuthForm
        fields={['name', 'email', 'password']}
        submitLabel="Create account"
        busyLabel="Creating account…"
        onSubmit={(values) => signUp(values)}
      />
      <p>
        Already have an account? <Link href={`/sign-in${search ? `?${search}` : ''}`}>Sign in</Link>
      </p>
    </main>
  );
}
