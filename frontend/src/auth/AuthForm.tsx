import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { AuthError, type AuthField } from '../api/index.ts';
import { Field, markReady } from '../ui/index.ts';

export type AuthValues = Record<AuthField, string>;
type Errors = Partial<Record<AuthField | 'form', string>>;

/** What the browser can check before asking the server. The server still decides. */
export function checkLocally(values: AuthValues, fields: readonly AuthField[]): Errors {
  const errors: Errors = {};
  if (fields.includes('name') && !values.name.trim()) errors.name = 'Enter your name.';
  if (!/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) errors.email = 'Enter a valid email address.';
  if (fields.includes('name') && values.password.length < 8) errors.password = 'Use at least 8 characters.';
  if (!fields.includes('name') && !values.password) errors.password = 'Enter your password.';
  return errors;
}

export interface AuthFormProps {
  fields: readonly AuthField[];
  submitLabel: string;
  busyLabel: string;
  initial?: Partial<AuthValues>;
  onSubmit: (values: AuthValues) => Promise<unknown>;
}

const labels: Record<AuthField, string> = { name: 'Name', email: 'Email', password: 'Password' };
const autoComplete = (field: AuthField, signUp: boolean) =>
  field === 'password' ? (signUp ? 'new-password' : 'current-password') : field;

/** Sign-in and sign-up: errors from the server appear next to the field they concern. */
export function AuthForm({ fields, submitLabel, busyLabel, initial, onSubmit }: AuthFormProps) {
  const [values, setValues] = useState<AuthValues>({ name: '', email: '', password: '', ...initial });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const inputs = useRef<Partial<Record<AuthField, HTMLInputElement | null>>>({});
  const signUp = fields.includes('name');
  useEffect(() => markReady('auth-ready'), []);

  const focusFirst = (found: Errors) => {
    const first = fields.find((field) => found[field]);
    if (first) inputs.current[first]?.focus();
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    const local = checkLocally(values, fields);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      focusFirst(local);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSubmit({ ...values, email: values.email.trim(), name: values.name.trim() });
    } catch (error) {
      const found: Errors =
        error instanceof AuthError && error.field && fields.includes(error.field)
          ? { [error.field]: error.message }
          : { form: (error as Error).message };
      setErrors(found);
      focusFirst(found);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="auth-form" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      {fields.map((field) => (
        <Field
          key={field}
          ref={(element) => {
            inputs.current[field] = element;
          }}
          label={labels[field]}
          name={field}
          type={field === 'name' ? 'text' : field}
          autoComplete={autoComplete(field, signUp)}
          value={values[field]}
          error={errors[field]}
          hint={field === 'password' && signUp ? 'At least 8 characters.' : undefined}
          required
          {...(field === 'password' ? { maxLength: 128 } : {})}
          onChange={(event) => {
            const value = event.target.value;
            setValues((previous) => ({ ...previous, [field]: value }));
          }}
        />
      ))}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
