import { useState } from 'preact/hooks';
import type { TargetedSubmitEvent } from 'preact';
import { ApiError, api, describeError } from '../api';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { errorsFrom, formatWait, summaryOf } from '../forms';
import type { Errors } from '../forms';
import { Link, navigate } from '../router';
import { useSession } from '../session';

const FIELDS = { email: 'email', password: 'password' };

export function SignIn() {
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Errors = {};
    if (!email.trim()) local.email = 'Enter your email address';
    if (!password) local.password = 'Enter your password';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setSummary(summaryOf(local, FIELDS));
      return;
    }
    setBusy(true);
    setErrors({});
    setSummary([]);
    try {
      const answer = await api.signIn({ email: email.trim(), password });
      signedIn(answer);
      navigate('/account');
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 401) {
        setSummary([{ message: describeError(err) }]);
        return;
      }
      if (err instanceof ApiError && err.status === 429) {
        setSummary([
          {
            message: `Too many sign-in attempts. Wait ${formatWait(err.retryAfter)} and try again, or reset your password.`,
          },
        ]);
        return;
      }
      const { fieldErrors, summary: s } = errorsFrom(err, FIELDS);
      setErrors(fieldErrors);
      setSummary(s);
    }
  };

  return (
    <Page title="Sign in" class="narrow">
      <ErrorSummary items={summary} />
      <form onSubmit={submit} noValidate>
        <Field
          id="email"
          label="Email address"
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="username"
          error={errors.email}
          required
        />
        <Field
          id="password"
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <button type="submit" class="button" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link href="/reset-password">Forgot your password?</Link>
      </p>
      <p>
        New to Staffroom? <Link href="/signup">Create an account</Link>.
      </p>
    </Page>
  );
}
